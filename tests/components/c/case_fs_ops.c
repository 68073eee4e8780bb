/*
 * Test-case guest "fs-ops": runs the file-system operations named on its command line,
 * in order, and prints one line per operation:
 *
 *   write PATH TEXT     create or truncate PATH and write TEXT    "write PATH: ok"
 *   append PATH TEXT    append TEXT (creating PATH)               "append PATH: ok"
 *   cat PATH            print the contents (then a newline unless they end in one)
 *                                                                "cat PATH: <contents>"
 *   ls PATH             entry names, sorted, space-separated     "ls PATH: a b c"
 *   stat PATH           lstat: file size=N | dir | symlink       "stat PATH: file size=5"
 *   mkdir PATH, rmdir PATH, rm PATH (unlink), rename FROM TO, symlink TARGET PATH
 *   readlink PATH                                                "readlink PATH: <target>"
 *
 * A failure prints "<op> PATH: ERR <strerror> (errno N)"; the exit status is 1 when any
 * operation failed. errno values are wasi-libc's, i.e. WASI's (EROFS = 69, EACCES = 2,
 * ENOENT = 44, ENOTCAPABLE = 76), so one expectation holds on both ABIs.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int failed;

static void err(const char *op, const char *path) {
  int e = errno;
  printf("%s %s: ERR %s (errno %d)\n", op, path, strerror(e), e);
  failed = 1;
}

static void ok(const char *op, const char *path) { printf("%s %s: ok\n", op, path); }

static void put(const char *op, const char *path, const char *text, int flags) {
  int fd = open(path, O_WRONLY | O_CREAT | flags, 0644);
  if (fd < 0) return err(op, path);
  size_t len = strlen(text);
  if (write(fd, text, len) != (ssize_t)len) { err(op, path); close(fd); return; }
  if (close(fd) != 0) return err(op, path);
  ok(op, path);
}

static void cat(const char *path) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) return err("cat", path);
  printf("cat %s: ", path);
  char buf[4096];
  char last = 0;
  ssize_t got;
  while ((got = read(fd, buf, sizeof buf)) > 0) {
    fwrite(buf, 1, (size_t)got, stdout);
    last = buf[got - 1];
  }
  // One line per operation: end the line unless the contents did.
  if (got < 0 || last != '\n') printf("\n");
  if (got < 0) err("cat", path);
  close(fd);
}

static int by_bytes(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void ls(const char *path) {
  DIR *d = opendir(path);
  if (!d) return err("ls", path);
  char **names = NULL;
  size_t n = 0;
  struct dirent *ent;
  while ((ent = readdir(d)) != NULL) {
    if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0) continue;
    names = realloc(names, (n + 1) * sizeof *names);
    names[n++] = strdup(ent->d_name);
  }
  closedir(d);
  qsort(names, n, sizeof *names, by_bytes);
  printf("ls %s:", path);
  for (size_t i = 0; i < n; i++) printf(" %s", names[i]);
  printf("\n");
}

static void stat_(const char *path) {
  struct stat st;
  if (lstat(path, &st) != 0) return err("stat", path);
  if (S_ISDIR(st.st_mode)) printf("stat %s: dir\n", path);
  else if (S_ISLNK(st.st_mode)) printf("stat %s: symlink\n", path);
  else printf("stat %s: file size=%lld\n", path, (long long)st.st_size);
}

static void readlink_(const char *path) {
  char buf[1024];
  ssize_t n = readlink(path, buf, sizeof buf - 1);
  if (n < 0) return err("readlink", path);
  buf[n] = 0;
  printf("readlink %s: %s\n", path, buf);
}

int main(int argc, char **argv) {
  int i = 1;
  while (i < argc) {
    const char *op = argv[i++];
    int need = strcmp(op, "write") == 0 || strcmp(op, "append") == 0 || strcmp(op, "rename") == 0 ||
               strcmp(op, "symlink") == 0 ? 2 : 1;
    if (i + need > argc) {
      printf("%s: missing arguments\n", op);
      return 2;
    }
    const char *a = argv[i], *b = need == 2 ? argv[i + 1] : NULL;
    i += need;
    if (strcmp(op, "write") == 0) put(op, a, b, O_TRUNC);
    else if (strcmp(op, "append") == 0) put(op, a, b, O_APPEND);
    else if (strcmp(op, "cat") == 0) cat(a);
    else if (strcmp(op, "ls") == 0) ls(a);
    else if (strcmp(op, "stat") == 0) stat_(a);
    else if (strcmp(op, "readlink") == 0) readlink_(a);
    else if (strcmp(op, "mkdir") == 0) { if (mkdir(a, 0755) != 0) err(op, a); else ok(op, a); }
    else if (strcmp(op, "rmdir") == 0) { if (rmdir(a) != 0) err(op, a); else ok(op, a); }
    else if (strcmp(op, "rm") == 0) { if (unlink(a) != 0) err(op, a); else ok(op, a); }
    else if (strcmp(op, "rename") == 0) { if (rename(a, b) != 0) err(op, a); else ok(op, a); }
    else if (strcmp(op, "symlink") == 0) { if (symlink(a, b) != 0) err(op, b); else ok(op, b); }
    else {
      printf("%s: unknown operation\n", op);
      return 2;
    }
  }
  return failed;
}
