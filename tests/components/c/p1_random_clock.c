/*
 * random_get, clocks and sched_yield (wasi-testsuite: random_get-zero-length,
 * random_get-non-zero-length, big_random_buf, clock_time_get, clock_getres-*,
 * clock_gettime-*, sched_yield).
 */
#include <time.h>

#include "p1_check.h"

int main(void) {
  static uint8_t buf[1024];
  EXPECT_OK("random_get-zero-length/ok", __wasi_random_get(buf, 0));
  EXPECT_OK("random_get-non-zero-length/ok", __wasi_random_get(buf, 32));
  memset(buf, 0, sizeof buf);
  if (EXPECT_OK("big_random_buf/ok", __wasi_random_get(buf, sizeof buf))) {
    int nonzero = 0;
    for (size_t i = 0; i < sizeof buf; i++) nonzero |= buf[i];
    expect_true("big_random_buf/not_all_zero", nonzero, "some non-zero byte in 1024");
  }

  __wasi_timestamp_t t1 = 0, t2 = 0, t3 = 0;
  EXPECT_OK("clock_time_get/precision_1", __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t1));
  EXPECT_OK("clock_time_get/precision_0", __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 0, &t2));
  EXPECT_OK("clock_time_get/again", __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 0, &t3));
  expect_true("clock_time_get/monotonic", t2 <= t3, "two monotonic reads not to go backwards");

  __wasi_timestamp_t res = 0;
  EXPECT_OK("clock_getres-realtime/ok", __wasi_clock_res_get(__WASI_CLOCKID_REALTIME, &res));
  EXPECT_OK("clock_getres-monotonic/ok", __wasi_clock_res_get(__WASI_CLOCKID_MONOTONIC, &res));

  struct timespec a, b;
  int ra = clock_gettime(CLOCK_MONOTONIC, &a);
  int rb = clock_gettime(CLOCK_MONOTONIC, &b);
  expect_true("clock_gettime-monotonic/ok", ra == 0 && rb == 0, "clock_gettime to return 0");
  expect_true("clock_gettime-monotonic/strictly_increasing",
              a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec < b.tv_nsec),
              "two consecutive monotonic reads to differ");
  struct timespec r;
  expect_true("clock_gettime-realtime/ok", clock_gettime(CLOCK_REALTIME, &r) == 0,
              "clock_gettime(CLOCK_REALTIME) to return 0");
  expect_true("clock_getres-libc/ok", clock_getres(CLOCK_MONOTONIC, &r) == 0 &&
                                          clock_getres(CLOCK_REALTIME, &r) == 0,
              "clock_getres to return 0");

  EXPECT_OK("sched_yield/ok", __wasi_sched_yield());
  return finish();
}
