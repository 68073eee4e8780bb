/*
 * Test-case guest "clock-random": prints, in order, each reading named on its command
 * line (default: realtime monotonic random):
 *
 *   realtime    "realtime=<ns since the epoch>"   (clock_gettime CLOCK_REALTIME)
 *   monotonic   "monotonic=<ns>"                  (clock_gettime CLOCK_MONOTONIC)
 *   random      "random=<16 bytes in hex>"        (getentropy)
 *   sleep       "slept=<ns the monotonic clock advanced over a 10 ms nanosleep>"
 *   year        "year=<the wall clock's UTC year>"
 *
 * A failed call prints "<name>=ERR <strerror> (errno N)" and the exit status is 1, so
 * a run with every stream denied still tells (by its status) whether the calls worked.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int failed;

static void err(const char *name) {
  int e = errno;
  printf("%s=ERR %s (errno %d)\n", name, strerror(e), e);
  failed = 1;
}

static int now(clockid_t id, long long *ns) {
  struct timespec ts;
  if (clock_gettime(id, &ts) != 0) return -1;
  *ns = (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
  return 0;
}

static void reading(const char *what) {
  long long ns;
  if (strcmp(what, "realtime") == 0 || strcmp(what, "monotonic") == 0) {
    if (now(strcmp(what, "realtime") == 0 ? CLOCK_REALTIME : CLOCK_MONOTONIC, &ns) != 0) return err(what);
    printf("%s=%lld\n", what, ns);
  } else if (strcmp(what, "random") == 0) {
    unsigned char b[16];
    if (getentropy(b, sizeof b) != 0) return err(what);
    printf("random=");
    for (size_t i = 0; i < sizeof b; i++) printf("%02x", b[i]);
    printf("\n");
  } else if (strcmp(what, "year") == 0) {
    if (now(CLOCK_REALTIME, &ns) != 0) return err(what);
    time_t secs = (time_t)(ns / 1000000000LL);
    printf("year=%d\n", gmtime(&secs)->tm_year + 1900);
  } else if (strcmp(what, "sleep") == 0) {
    long long before, after;
    struct timespec d = {0, 10000000};
    if (now(CLOCK_MONOTONIC, &before) != 0 || nanosleep(&d, NULL) != 0 || now(CLOCK_MONOTONIC, &after) != 0) return err(what);
    printf("slept=%lld\n", after - before);
  } else {
    printf("%s: unknown reading\n", what);
    failed = 1;
  }
}

int main(int argc, char **argv) {
  if (argc < 2) {
    reading("realtime");
    reading("monotonic");
    reading("random");
  }
  for (int i = 1; i < argc; i++) reading(argv[i]);
  return failed;
}
