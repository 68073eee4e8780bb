// A transcript of common file-system calls through wasi-libc, for side-by-side runs
// (tests/preview1/fs-libc.test.ts): every line is "what -> result", where a result is
// "ok", a value, or strerror(errno). argv[1] is the directory to work in.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char path_buf[4][512];
static const char *base;

static const char *P(int slot, const char *rel) {
  snprintf(path_buf[slot], sizeof path_buf[slot], "%s/%s", base, rel);
  return path_buf[slot];
}

static void report(const char *what, int rc) {
  if (rc < 0) printf("%s -> %s\n", what, strerror(errno));
  else printf("%s -> ok\n", what);
}

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void list(const char *rel) {
  DIR *d = opendir(P(0, rel));
  if (!d) { printf("opendir %s -> %s\n", rel, strerror(errno)); return; }
  char *names[256];
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) && n < 256) names[n++] = strdup(e->d_name);
  closedir(d);
  qsort(names, n, sizeof names[0], cmp);
  printf("ls %s ->", rel);
  for (int i = 0; i < n; i++) { printf(" %s", names[i]); free(names[i]); }
  printf("\n");
}

int main(int argc, char **argv) {
  if (argc < 2) { fprintf(stderr, "usage: p1core_fs DIR\n"); return 2; }
  base = argv[1];
  char buf[256];
  struct stat st;

  report("mkdir d", mkdir(P(0, "d"), 0755));
  report("mkdir d again", mkdir(P(0, "d"), 0755));
  report("mkdir missing/x", mkdir(P(0, "missing/x"), 0755));

  FILE *f = fopen(P(0, "d/a.txt"), "w");
  printf("fopen w -> %s\n", f ? "ok" : strerror(errno));
  if (f) { fprintf(f, "hello, %s\n", "file"); fclose(f); }
  f = fopen(P(0, "d/a.txt"), "r");
  if (f) {
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    printf("fread -> %zu %s", n, buf);
    fclose(f);
  }
  report("stat d/a.txt", stat(P(0, "d/a.txt"), &st));
  printf("size -> %lld, regular -> %d, dir -> %d\n", (long long)st.st_size, S_ISREG(st.st_mode), S_ISDIR(st.st_mode));
  report("stat d/a.txt/", stat(P(0, "d/a.txt/"), &st));
  report("stat d/nope", stat(P(0, "d/nope"), &st));

  int fd = open(P(0, "d/b.bin"), O_RDWR | O_CREAT | O_EXCL, 0644);
  report("open b.bin excl", fd);
  report("open b.bin excl again", open(P(1, "d/b.bin"), O_RDWR | O_CREAT | O_EXCL, 0644));
  printf("write -> %zd\n", write(fd, "0123456789", 10));
  printf("lseek cur -> %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
  printf("lseek set 3 -> %lld\n", (long long)lseek(fd, 3, SEEK_SET));
  printf("read 4 -> %zd\n", read(fd, buf, 4));
  printf("pwrite at 8 -> %zd\n", pwrite(fd, "XY", 2, 8));
  printf("pread at 6 -> %zd ", pread(fd, buf, 10, 6));
  buf[4] = 0;
  printf("%s\n", buf);
  printf("lseek end -> %lld\n", (long long)lseek(fd, 0, SEEK_END));
  report("ftruncate 4", ftruncate(fd, 4));
  report("fstat", fstat(fd, &st));
  printf("size after truncate -> %lld\n", (long long)st.st_size);
  printf("lseek negative -> %lld %s\n", (long long)lseek(fd, -100, SEEK_SET), strerror(errno));
  close(fd);

  fd = open(P(0, "d/b.bin"), O_WRONLY | O_APPEND);
  printf("append write -> %zd\n", write(fd, "++", 2));
  close(fd);
  report("stat b.bin", stat(P(0, "d/b.bin"), &st));
  printf("size after append -> %lld\n", (long long)st.st_size);
  report("open d as file for write", open(P(0, "d"), O_WRONLY));
  report("open a.txt as dir", open(P(0, "d/a.txt"), O_RDONLY | O_DIRECTORY));

  report("rename a.txt c.txt", rename(P(0, "d/a.txt"), P(1, "d/c.txt")));
  report("rename missing", rename(P(0, "d/a.txt"), P(1, "d/z.txt")));
  report("symlink c.txt", symlink("c.txt", P(0, "d/link")));
  ssize_t n = readlink(P(0, "d/link"), buf, sizeof buf);
  printf("readlink -> %zd %.*s\n", n, (int)(n > 0 ? n : 0), buf);
  report("lstat link", lstat(P(0, "d/link"), &st));
  printf("link is symlink -> %d\n", S_ISLNK(st.st_mode));
  report("stat through link", stat(P(0, "d/link"), &st));
  printf("target is regular -> %d\n", S_ISREG(st.st_mode));
  report("hard link", link(P(0, "d/c.txt"), P(1, "d/hard")));
  report("stat hard", stat(P(0, "d/hard"), &st));
  printf("nlink -> %lld\n", (long long)st.st_nlink);
  report("mkdir d/sub", mkdir(P(0, "d/sub"), 0755));
  list("d");
  report("rmdir d (not empty)", rmdir(P(0, "d")));
  report("unlink d/sub (a dir)", unlink(P(0, "d/sub")));
  report("rmdir d/c.txt (a file)", rmdir(P(0, "d/c.txt")));
  report("unlink link", unlink(P(0, "d/link")));
  report("unlink hard", unlink(P(0, "d/hard")));
  report("unlink c.txt", unlink(P(0, "d/c.txt")));
  report("unlink b.bin", unlink(P(0, "d/b.bin")));
  report("rmdir d/sub", rmdir(P(0, "d/sub")));
  list("d");
  report("rmdir d", rmdir(P(0, "d")));
  report("access d", access(P(0, "d"), F_OK));
  return 0;
}
