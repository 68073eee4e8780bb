/*
 * Test-case guest "do-everything": touches env, clocks, random, stdio and the file system
 * in one run, like WASI-Virt's do-everything component. To stderr: the wall-clock time,
 * every environment variable, the monotonic time and a random u32. To stdout: the
 * contents of the file argv[1] exactly (or "ERR: ..." and exit 1), so a case compares
 * stdout with the file. A clock or random call that fails is reported on stderr and the
 * run goes on. Without argv[1] nothing is called at all (WASI-Virt's encapsulate-none
 * only instantiates the component).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static void clock_line(clockid_t id, const char *name) {
  struct timespec ts;
  if (clock_gettime(id, &ts) != 0) {
    fprintf(stderr, "%s: ERR %s\n", name, strerror(errno));
    return;
  }
  fprintf(stderr, "%s: %lld.%09ld\n", name, (long long)ts.tv_sec, ts.tv_nsec);
}

int main(int argc, char **argv) {
  if (argc < 2) return 0;
  clock_line(CLOCK_REALTIME, "time");
  for (char **e = environ; e && *e; e++) fprintf(stderr, "env: %s\n", *e);
  clock_line(CLOCK_MONOTONIC, "monotonic");
  unsigned int r;
  if (getentropy(&r, sizeof r) != 0) fprintf(stderr, "random: ERR %s\n", strerror(errno));
  else fprintf(stderr, "random: %u\n", r);

  int fd = open(argv[1], O_RDONLY);
  if (fd < 0) {
    printf("ERR: open: %s (errno %d)\n", strerror(errno), errno);
    return 1;
  }
  char buf[4096];
  ssize_t got;
  while ((got = read(fd, buf, sizeof buf)) > 0) fwrite(buf, 1, (size_t)got, stdout);
  if (got < 0) {
    printf("ERR: read: %s (errno %d)\n", strerror(errno), errno);
    return 1;
  }
  close(fd);
  return 0;
}
