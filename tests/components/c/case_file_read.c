/*
 * Test-case guest "file-read": argv[1] is a path. A file's contents are printed exactly;
 * a directory prints its entry names (without . and ..) sorted by bytes and joined with
 * nothing between them, which is what WASI-Virt's file-read component returns for a
 * directory. A failure prints "ERR: <call>: <strerror> (errno N)" on stdout and exits 1,
 * so one comparison of stdout checks success and failure alike on both ABIs.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int fail(const char *call) {
  int e = errno;
  printf("ERR: %s: %s (errno %d)\n", call, strerror(e), e);
  return 1;
}

static int by_bytes(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list_dir(const char *path) {
  DIR *d = opendir(path);
  if (!d) return fail("opendir");
  char **names = NULL;
  size_t n = 0;
  struct dirent *ent;
  errno = 0;
  while ((ent = readdir(d)) != NULL) {
    if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0) continue;
    names = realloc(names, (n + 1) * sizeof *names);
    names[n++] = strdup(ent->d_name);
  }
  if (errno != 0) return fail("readdir");
  closedir(d);
  qsort(names, n, sizeof *names, by_bytes);
  for (size_t i = 0; i < n; i++) fputs(names[i], stdout);
  return 0;
}

static int cat(const char *path) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) return fail("open");
  char buf[4096];
  for (;;) {
    ssize_t got = read(fd, buf, sizeof buf);
    if (got < 0) return fail("read");
    if (got == 0) break;
    fwrite(buf, 1, (size_t)got, stdout);
  }
  close(fd);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    printf("ERR: usage: file-read PATH\n");
    return 1;
  }
  struct stat st;
  if (stat(argv[1], &st) != 0) return fail("stat");
  return S_ISDIR(st.st_mode) ? list_dir(argv[1]) : cat(argv[1]);
}
