/*
 * fd_write on stdout and on a bad fd (wasi-testsuite: fd_write-to-stdout,
 * fd_write-to-invalid-fd). The manifest compares stdout with exactly "hello", so the report
 * goes to stderr.
 */
#include "p1_check.h"

int main(void) {
  report_fd = 2;
  __wasi_ciovec_t two[2] = {{(const uint8_t *)"hel", 3}, {(const uint8_t *)"lo", 2}};
  __wasi_size_t n = 0;
  if (EXPECT_OK("fd_write-to-stdout/ok", __wasi_fd_write(1, two, 2, &n)))
    expect_u64("fd_write-to-stdout/nwritten", 5, n);
  n = 99;
  if (EXPECT_OK("fd_write/zero_iovecs", __wasi_fd_write(1, two, 0, &n)))
    expect_u64("fd_write/zero_iovecs_nwritten", 0, n);
  /* -31337 as a u32: the fd check must come before the (empty) iovec list is looked at. */
  EXPECT_ERRNO("fd_write-to-invalid-fd/badf", __wasi_fd_write((__wasi_fd_t)-31337, 0, 0, &n),
               __WASI_ERRNO_BADF);
  return finish();
}
