/*
 * A program run with no preopens (wasi-testsuite C tests: fopen-with-no-access,
 * sock_shutdown-invalid_fd, sock_shutdown-not_sock): fd 3 does not exist, wasi-libc finds no
 * directory for a relative path, and stdout is not a socket.
 */
#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "p1_check.h"

int main(void) {
  __wasi_prestat_t ps;
  EXPECT_ERRNO("no_preopens/fd3_not_a_preopen", __wasi_fd_prestat_get(3, &ps), __WASI_ERRNO_BADF);
  errno = 0;
  FILE *f = fopen("fs-tests.dir/file", "r");
  expect_true("fopen-with-no-access/null", f == NULL, "fopen to fail");
  EXPECT_ERRNO("fopen-with-no-access/errno", errno, ENOTCAPABLE);
  errno = 0;
  expect_true("sock_shutdown-invalid_fd/fails", shutdown(3, SHUT_RD) != 0, "shutdown(3) to fail");
  EXPECT_ERRNO("sock_shutdown-invalid_fd/errno", errno, EBADF);
  errno = 0;
  expect_true("sock_shutdown-not_sock/fails", shutdown(STDOUT_FILENO, SHUT_RD) != 0, "shutdown(1) to fail");
  EXPECT_ERRNO("sock_shutdown-not_sock/errno", errno, ENOTSOCK);
  EXPECT_ERRNO("sock_shutdown/raw_not_sock", __wasi_sock_shutdown(1, __WASI_SDFLAGS_RD), __WASI_ERRNO_NOTSOCK);
  return finish();
}
