// readdir through wasi-libc over a directory of many entries: count them, check every
// d_ino against fstatat(AT_SYMLINK_NOFOLLOW) (the suite's fdopendir-with-access), and
// use telldir/seekdir/rewinddir (wasi-libc maps them to fd_readdir cookies).
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: p1core_readdir DIR COUNT\n"); return 2; }
  char path[512];
  int count = 0;
  sscanf(argv[2], "%d", &count);
  for (int i = 0; i < count; i++) {
    snprintf(path, sizeof path, "%s/entry-with-a-rather-long-name-%04d", argv[1], i);
    int fd = open(path, O_CREAT | O_WRONLY, 0644);
    if (fd < 0) { printf("create %d -> %s\n", i, strerror(errno)); return 1; }
    close(fd);
  }
  int dfd = open(argv[1], O_RDONLY | O_DIRECTORY);
  DIR *d = fdopendir(dfd);
  if (!d) { printf("fdopendir -> %s\n", strerror(errno)); return 1; }
  int seen = 0, dots = 0, bad_ino = 0;
  long mark = -1;
  char mark_name[256] = "";
  struct dirent *e;
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) { dots++; continue; }
    struct stat st;
    if (fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || st.st_ino != e->d_ino) bad_ino++;
    if (++seen == count / 2) {
      mark = telldir(d);
      e = readdir(d);
      if (e) { strcpy(mark_name, e->d_name); seen++; }
    }
  }
  printf("entries -> %d\n", seen);
  printf("dot entries -> %d\n", dots);
  printf("d_ino mismatches -> %d\n", bad_ino);
  if (mark >= 0) {
    seekdir(d, mark);
    e = readdir(d);
    printf("seekdir resumes at the same entry -> %d\n", e && !strcmp(e->d_name, mark_name));
  }
  rewinddir(d);
  int again = 0;
  while ((e = readdir(d))) if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) again++;
  printf("after rewinddir -> %d\n", again);
  closedir(d);
  return 0;
}
