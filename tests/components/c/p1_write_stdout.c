/*
 * fd_write on stdout and on a bad fd (wasi-testsuite: fd_write-to-stdout,
 * fd_write-to-invalid-fd). The manifest compares stdout with exactly "hello", so the report
 * goes to stderr.
 */
#include "p1_check.h"

int main(void) {
  report_fd = 2;
  /* Two iovecs in one call; a short write is legal (the preview1 adapter writes only the first
     iovec), so finish the rest the way any correct caller would. */
  __wasi_ciovec_t two[2] = {{(const uint8_t *)"hel", 3}, {(const uint8_t *)"lo", 2}};
  __wasi_size_t n = 0;
  if (EXPECT_OK("fd_write-to-stdout/ok", __wasi_fd_write(1, two, 2, &n))) {
    expect_true("fd_write-to-stdout/progress", n >= 1 && n <= 5, "1 to 5 bytes written");
    size_t done = n;
    while (done > 0 && done < 5) {
      static const char hello[] = "hello";
      const char *rest = &hello[done];
      __wasi_ciovec_t one = {(const uint8_t *)rest, 5 - done};
      if (__wasi_fd_write(1, &one, 1, &n) != 0 || n == 0) break;
      done += n;
    }
    expect_u64("fd_write-to-stdout/all_written", 5, done);
  }
  n = 99;
  if (EXPECT_OK("fd_write/zero_iovecs", __wasi_fd_write(1, two, 0, &n)))
    expect_u64("fd_write/zero_iovecs_nwritten", 0, n);
  /* -31337 as a u32: the fd check must come before the (empty) iovec list is looked at. */
  EXPECT_ERRNO("fd_write-to-invalid-fd/badf", __wasi_fd_write((__wasi_fd_t)-31337, 0, 0, &n),
               __WASI_ERRNO_BADF);
  return finish();
}
