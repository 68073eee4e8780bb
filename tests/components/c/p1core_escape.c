// Ways out of a preopen. Each line says whether the guest got at the host file the test
// put next to (outside) its directory. argv[1] is the preopen; the secret sits at
// ../secret.txt relative to it on the host.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *base;

static void try_read(const char *what, const char *rel) {
  char path[512], buf[64];
  snprintf(path, sizeof path, "%s/%s", base, rel);
  int fd = open(path, O_RDONLY);
  if (fd < 0) { printf("%s -> refused (%s)\n", what, strerror(errno)); return; }
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  buf[n > 0 ? n : 0] = 0;
  printf("%s -> %s\n", what, strstr(buf, "SECRET") ? "ESCAPED" : "read an inside file");
}

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  base = argv[1];
  char path[512];
  try_read("dotdot", "../secret.txt");
  try_read("sub/../..", "sub/../../secret.txt");
  snprintf(path, sizeof path, "%s/up", base);
  int rc = symlink("../secret.txt", path);
  printf("symlink to ../secret.txt -> %s\n", rc == 0 ? "created" : strerror(errno));
  try_read("through guest-made symlink", "up");
  try_read("through host-made symlink", "host-link");
  try_read("through host-made dir symlink", "host-dir-link/secret.txt");
  return 0;
}
