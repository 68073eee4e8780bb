// Sleeping and polling through wasi-libc: nanosleep and clock_nanosleep become
// poll_oneoff clock subscriptions, poll() on stdout an fd_write subscription. Prints
// whether each waited at least as long as asked (never the raw times). With argument
// "skip-abstime" it leaves out clock_nanosleep(TIMER_ABSTIME), on which node:wasi blocks
// (an absolute monotonic poll_oneoff never returns there, even for a past deadline).
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(clockid_t id) {
  struct timespec ts;
  clock_gettime(id, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv) {
  int abstime = !(argc > 1 && !strcmp(argv[1], "skip-abstime"));
  long long t0 = now_ns(CLOCK_MONOTONIC);
  struct timespec req = { 0, 30 * 1000000 };
  printf("nanosleep -> %d\n", nanosleep(&req, NULL));
  printf("waited 30ms -> %d\n", now_ns(CLOCK_MONOTONIC) - t0 >= 30000000LL);

  struct timespec until;
  if (abstime) {
  clock_gettime(CLOCK_MONOTONIC, &until);
  until.tv_nsec += 20 * 1000000;
  if (until.tv_nsec >= 1000000000) { until.tv_sec++; until.tv_nsec -= 1000000000; }
  printf("clock_nanosleep abstime -> %d\n", clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL));
  printf("waited until -> %d\n", now_ns(CLOCK_MONOTONIC) >= (long long)until.tv_sec * 1000000000LL + until.tv_nsec);
  }

  long long r0 = now_ns(CLOCK_REALTIME);
  struct timespec zero = { 0, 0 };
  printf("nanosleep 0 -> %d\n", nanosleep(&zero, NULL));
  printf("realtime moves -> %d\n", now_ns(CLOCK_REALTIME) >= r0);

  fflush(stdout);
  struct pollfd p = { .fd = 1, .events = POLLOUT };
  int n = poll(&p, 1, 1000);
  printf("poll stdout -> %d writable %d\n", n, (p.revents & POLLOUT) != 0);
  t0 = now_ns(CLOCK_MONOTONIC);
  n = poll(NULL, 0, 25);
  printf("poll timeout only -> %d waited %d\n", n, now_ns(CLOCK_MONOTONIC) - t0 >= 25000000LL);
  return 0;
}
