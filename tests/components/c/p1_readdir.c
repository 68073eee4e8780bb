/*
 * fd_readdir (wasi-testsuite: fd_readdir): "." and "..", inode numbers, d_type, cookies that
 * resume after a given entry, paging through 1000 entries, and the "buffer full" signal.
 * argv[1] names the preopen.
 */
#include <stdlib.h>

#include "p1_check.h"

#define BUF_LEN 256
#define MAX_ENTRIES 1100

typedef struct {
  __wasi_dirent_t d;
  char name[64];
} entry;

/* Reads one buffer from `cookie`; returns the complete entries and whether the end was reached. */
static int read_batch(__wasi_fd_t fd, __wasi_dircookie_t cookie, entry *out, int max, int *eof,
                      __wasi_errno_t *err) {
  static uint8_t buf[BUF_LEN];
  __wasi_size_t used = 0;
  *err = __wasi_fd_readdir(fd, buf, BUF_LEN, cookie, &used);
  if (*err) return 0;
  *eof = used < BUF_LEN;
  int n = 0;
  size_t at = 0;
  while (n < max && at + sizeof(__wasi_dirent_t) <= used) {
    memcpy(&out[n].d, buf + at, sizeof(__wasi_dirent_t));
    size_t len = out[n].d.d_namlen;
    if (at + sizeof(__wasi_dirent_t) + len > used) break;
    size_t copy = len < sizeof out[n].name - 1 ? len : sizeof out[n].name - 1;
    memcpy(out[n].name, buf + at + sizeof(__wasi_dirent_t), copy);
    out[n].name[copy] = 0;
    at += sizeof(__wasi_dirent_t) + len;
    n++;
  }
  return n;
}

static const entry *find(const entry *e, int n, const char *name) {
  for (int i = 0; i < n; i++)
    if (strcmp(e[i].name, name) == 0) return &e[i];
  return 0;
}

static void empty_and_one_file(__wasi_fd_t dir) {
  entry e[8];
  int eof = 0;
  __wasi_errno_t err;
  __wasi_filestat_t dst;
  (void)__wasi_fd_filestat_get(dir, &dst);
  int n = read_batch(dir, 0, e, 8, &eof, &err);
  if (!EXPECT_OK("fd_readdir/empty_ok", err)) return;
  expect_true("fd_readdir/empty_eof", eof, "the whole directory in one buffer");
  expect_u64("fd_readdir/empty_has_dot_and_dotdot", 2, n);
  const entry *dot = find(e, n, "."), *dotdot = find(e, n, "..");
  if (expect_true("fd_readdir/dot_present", dot != 0, "an entry \".\"")) {
    expect_u64("fd_readdir/dot_type", __WASI_FILETYPE_DIRECTORY, dot->d.d_type);
    expect_u64("fd_readdir/dot_ino", dst.ino, dot->d.d_ino);
    expect_u64("fd_readdir/dot_namlen", 1, dot->d.d_namlen);
  }
  if (expect_true("fd_readdir/dotdot_present", dotdot != 0, "an entry \"..\""))
    expect_u64("fd_readdir/dotdot_type", __WASI_FILETYPE_DIRECTORY, dotdot->d.d_type);

  __wasi_fd_t fd;
  if (!EXPECT_OK("fd_readdir/create_file",
                 __wasi_path_open(dir, 0, "file", __WASI_OFLAGS_CREAT,
                                  __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_FILESTAT_GET,
                                  0, 0, &fd)))
    return;
  __wasi_filestat_t fst;
  (void)__wasi_fd_filestat_get(fd, &fst);
  (void)__wasi_fd_close(fd);
  EXPECT_OK("fd_readdir/mkdir_sub", __wasi_path_create_directory(dir, "sub"));
  n = read_batch(dir, 0, e, 8, &eof, &err);
  if (!EXPECT_OK("fd_readdir/three_ok", err)) return;
  expect_true("fd_readdir/four_eof", eof, "the whole directory in one buffer");
  expect_u64("fd_readdir/four_entries", 4, n);
  const entry *file = find(e, n, "file"), *sub = find(e, n, "sub");
  if (expect_true("fd_readdir/file_present", file != 0, "an entry \"file\"")) {
    expect_u64("fd_readdir/file_type", __WASI_FILETYPE_REGULAR_FILE, file->d.d_type);
    expect_u64("fd_readdir/file_ino", fst.ino, file->d.d_ino);
    expect_u64("fd_readdir/file_namlen", 4, file->d.d_namlen);
  }
  if (expect_true("fd_readdir/sub_present", sub != 0, "an entry \"sub\""))
    expect_u64("fd_readdir/sub_type", __WASI_FILETYPE_DIRECTORY, sub->d.d_type);
  if (n == 4) {
    /* Each entry's d_next resumes right after it, in the same order. */
    for (int i = 0; i < 3; i++) {
      entry rest[8];
      int m = read_batch(dir, e[i].d.d_next, rest, 8, &eof, &err);
      char name[64];
      snprintf(name, sizeof name, "fd_readdir/cookie_after_%d", i);
      if (!EXPECT_OK(name, err)) continue;
      snprintf(name, sizeof name, "fd_readdir/cookie_after_%d_count", i);
      expect_u64(name, (uint64_t)(3 - i), (uint64_t)m);
      snprintf(name, sizeof name, "fd_readdir/cookie_after_%d_next_name", i);
      if (m > 0) expect_true(name, strcmp(rest[0].name, e[i + 1].name) == 0, "the entry that followed it");
    }
    entry none[2];
    int m = read_batch(dir, e[3].d.d_next, none, 2, &eof, &err);
    if (EXPECT_OK("fd_readdir/cookie_at_end", err)) expect_u64("fd_readdir/cookie_at_end_empty", 0, m);
  }
  /* A buffer smaller than one entry must come back full, or the reader would stop early. */
  uint8_t tiny[10];
  __wasi_size_t used = 0;
  if (EXPECT_OK("fd_readdir/tiny_buffer", __wasi_fd_readdir(dir, tiny, sizeof tiny, 0, &used)))
    expect_u64("fd_readdir/tiny_buffer_full", sizeof tiny, used);
  (void)__wasi_path_unlink_file(dir, "file");
  (void)__wasi_path_remove_directory(dir, "sub");
}

static void lots(__wasi_fd_t dir) {
  char name[32];
  int created = 0;
  for (int i = 0; i < 1000; i++) {
    snprintf(name, sizeof name, "file.%d", i);
    if (create_file(dir, name) == 0) created++;
  }
  expect_u64("fd_readdir/lots_created", 1000, created);
  static entry batch[64];
  static unsigned char seen[1000];
  int total = 0, dups = 0, others = 0, eof = 0, rounds = 0;
  __wasi_dircookie_t cookie = 0;
  __wasi_errno_t err = 0;
  while (!eof && rounds++ < 5000) {
    int n = read_batch(dir, cookie, batch, 64, &eof, &err);
    if (err || n == 0) break;
    for (int i = 0; i < n; i++) {
      int k;
      if (sscanf(batch[i].name, "file.%d", &k) == 1 && k >= 0 && k < 1000) {
        if (seen[k]++) dups++;
      } else if (strcmp(batch[i].name, ".") && strcmp(batch[i].name, "..")) {
        others++;
      }
    }
    total += n;
    cookie = batch[n - 1].d.d_next;
  }
  EXPECT_OK("fd_readdir/lots_ok", err);
  expect_u64("fd_readdir/lots_total", 1002, total);
  expect_u64("fd_readdir/lots_no_duplicates", 0, dups);
  expect_u64("fd_readdir/lots_no_strangers", 0, others);
  for (int i = 0; i < 1000; i++) {
    snprintf(name, sizeof name, "file.%d", i);
    (void)__wasi_path_unlink_file(dir, name);
  }
}

int main(int argc, char **argv) {
  __wasi_fd_t scratch = scratch_from_args(argc, argv);
  if (scratch == NO_FD) return finish() | 1;
  __wasi_fd_t dir = make_tmp_dir(scratch, "fd_readdir_dir.cleanup");
  if (!expect_true("setup/tmp_dir", dir != NO_FD, "a tmp dir")) return finish();
  empty_and_one_file(dir);
  lots(dir);
  (void)__wasi_fd_close(dir);
  EXPECT_OK("cleanup/rmdir", __wasi_path_remove_directory(scratch, "fd_readdir_dir.cleanup"));
  return finish();
}
