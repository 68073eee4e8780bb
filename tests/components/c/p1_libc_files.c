/*
 * The same file behaviours through wasi-libc's POSIX layer and its preopen lookup
 * (wasi-testsuite C tests: lseek, pread-with-access, pwrite-with-access, pwrite-with-append,
 * fopen-with-access, stat-dev-ino, fdopendir-with-access). The fixture (tests/components/
 * fixtures/p1-fs) is preopened as "fs-tests.dir", and paths name it like the suite does.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "p1_check.h"

static void lseek_test(void) {
  FILE *f = fopen("fs-tests.dir/lseek.txt", "r");
  if (!expect_true("lseek/fopen", f != NULL, "fopen to succeed")) return;
  char buf[4];
  int fd = fileno(f);
  expect_true("lseek/fread4", fread(buf, 1, 4, f) == 4, "4 bytes");
  fflush(f);
  expect_u64("lseek/cur_4", 4, (uint64_t)lseek(fd, 0, SEEK_CUR));
  expect_true("lseek/fread1", fread(buf, 1, 1, f) == 1, "1 byte");
  fflush(f);
  expect_u64("lseek/cur_5", 5, (uint64_t)lseek(fd, 0, SEEK_CUR));
  expect_u64("lseek/fifth_byte", '4', (uint64_t)buf[0]);
  expect_u64("lseek/set_0", 0, (uint64_t)lseek(fd, 0, SEEK_SET));
  expect_u64("lseek/end_8", 8, (uint64_t)lseek(fd, 0, SEEK_END));
  fclose(f);
}

static void pread_test(void) {
  int fd = open("fs-tests.dir/pread.txt", O_RDONLY);
  if (!expect_true("pread-with-access/open", fd > 0, "open to succeed")) return;
  char buf[16] = {0};
  int got = 0;
  while (got < 3) {
    ssize_t r = pread(fd, buf + got, 3 - got, 4 + got);
    if (r <= 0) break;
    got += (int)r;
  }
  expect_true("pread-with-access/data", got == 3 && memcmp(buf, "d-t", 3) == 0, "\"d-t\" at offset 4");
  expect_true("pread-with-access/close", close(fd) == 0, "close to succeed");
}

static void pwrite_test(void) {
  const char *path = "fs-tests.dir/writeable/test_pwrite_pread.txt.cleanup";
  expect_true("pwrite-with-access/absent", access(path, F_OK) != 0, "the file not to exist yet");
  int fd = open(path, O_WRONLY | O_CREAT, 0644);
  if (!expect_true("pwrite-with-access/open", fd > 0, "open to succeed")) return;
  expect_true("pwrite-with-access/pwrite_all", pwrite(fd, "very long text", 14, 0) == 14, "14 bytes");
  expect_true("pwrite-with-access/pwrite_middle", pwrite(fd, "test", 4, 3) == 4, "4 bytes");
  close(fd);
  fd = open(path, O_RDONLY);
  char buf[16] = {0};
  int got = 0;
  while (fd > 0 && got < 14) {
    ssize_t r = read(fd, buf + got, sizeof buf - got);
    if (r <= 0) break;
    got += (int)r;
  }
  expect_true("pwrite-with-access/data", got == 14 && memcmp(buf, "vertestng text", 14) == 0,
              "\"vertestng text\"");
  close(fd);
  expect_true("pwrite-with-access/remove", remove(path) == 0, "remove to succeed");
}

static void pwrite_append_test(void) {
  char buf[4] = {0};
  int fd = open("fs-tests.dir/pwrite.cleanup", O_CREAT | O_TRUNC | O_WRONLY | O_APPEND, 0644);
  if (!expect_true("pwrite-with-append/open", fd != -1, "open to succeed")) return;
  expect_true("pwrite-with-append/write", write(fd, buf, 2) == 2, "2 bytes");
  expect_u64("pwrite-with-append/seek_start", 0, (uint64_t)lseek(fd, 0, SEEK_SET));
  expect_true("pwrite-with-append/write_again", write(fd, buf, 2) == 2, "2 bytes");
  expect_u64("pwrite-with-append/appended", 4, (uint64_t)lseek(fd, 0, SEEK_CUR));
  expect_true("pwrite-with-append/pwrite", pwrite(fd, buf, 3, 0) == 3, "3 bytes");
  expect_u64("pwrite-with-append/pwrite_keeps_cursor", 4, (uint64_t)lseek(fd, 0, SEEK_CUR));
  off_t end = lseek(fd, 0, SEEK_END);
  expect_true("pwrite-with-append/end", end == 4 || end == 7, "size 4 (POSIX) or 7 (Linux)");
  close(fd);
  unlink("fs-tests.dir/pwrite.cleanup");
}

static void fopen_and_stat(void) {
  FILE *f = fopen("fs-tests.dir/file", "r");
  if (expect_true("fopen-with-access/fopen", f != NULL, "fopen to succeed"))
    expect_true("fopen-with-access/fclose", fclose(f) == 0, "fclose to succeed");
  int a = open("fs-tests.dir/file", O_RDONLY), b = open("fs-tests.dir/lseek.txt", O_RDONLY);
  struct stat sa, sb;
  if (expect_true("stat-dev-ino/open", a != -1 && b != -1, "both opens to succeed") &&
      expect_true("stat-dev-ino/fstat", fstat(a, &sa) == 0 && fstat(b, &sb) == 0, "fstat to succeed")) {
    expect_true("stat-dev-ino/same_dev", sa.st_dev == sb.st_dev, "the same st_dev");
    expect_true("stat-dev-ino/different_ino", sa.st_ino != sb.st_ino, "different st_ino");
  }
  close(a);
  close(b);
}

static void fdopendir_test(void) {
  int dfd = open("fs-tests.dir/fopendir.dir", O_RDONLY | O_DIRECTORY);
  if (!expect_true("fdopendir-with-access/open", dfd != -1, "open to succeed")) return;
  DIR *d = fdopendir(dfd);
  if (!expect_true("fdopendir-with-access/fdopendir", d != NULL, "fdopendir to succeed")) return;
  int seen0 = 0, seen1 = 0, strangers = 0, ino_ok = 1;
  ino_t i0 = 0, i1 = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.') continue;
    if (strcmp(e->d_name, "file-0") == 0) seen0 = 1, i0 = e->d_ino;
    else if (strcmp(e->d_name, "file-1") == 0) seen1 = 1, i1 = e->d_ino;
    else strangers++;
    struct stat st;
    if (fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || st.st_ino != e->d_ino) ino_ok = 0;
  }
  closedir(d);
  expect_true("fdopendir-with-access/both_files", seen0 && seen1, "file-0 and file-1");
  expect_u64("fdopendir-with-access/nothing_else", 0, strangers);
  expect_true("fdopendir-with-access/d_ino_matches_stat", ino_ok, "d_ino == fstatat st_ino");
  expect_true("fdopendir-with-access/distinct_inodes", i0 != i1, "different inodes");
}

int main(void) {
  lseek_test();
  pread_test();
  pwrite_test();
  pwrite_append_test();
  fopen_and_stat();
  fdopendir_test();
  return finish();
}
