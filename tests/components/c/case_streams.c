/*
 * Test-case guest "streams": exercises the three standard streams with raw read/write
 * (no libc buffering), then reports what each call returned:
 *   1. read stdin to end of input;
 *   2. write "to stderr\n" to fd 2;
 *   3. write "to stdout\n" to fd 1;
 *   4. write the report "stdin=<bytes read|ERR errno> stderr=<ok|ERR errno>
 *      stdout=<ok|ERR errno>\n" to fd 1 and to fd 2 (whichever works carries it).
 * The exit status is 1 when any of 1-3 failed.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void) {
  char report[256] = "";
  int failed = 0;

  long total = 0;
  int in_err = 0;
  char buf[1024];
  for (;;) {
    ssize_t got = read(0, buf, sizeof buf);
    if (got < 0) { in_err = errno; break; }
    if (got == 0) break;
    total += got;
  }
  if (in_err) {
    snprintf(report, sizeof report, "stdin=ERR %d", in_err);
    failed = 1;
  } else {
    snprintf(report, sizeof report, "stdin=%ld", total);
  }

  const char *e = "to stderr\n", *o = "to stdout\n";
  int err2 = write(2, e, strlen(e)) < 0 ? errno : 0;
  int err1 = write(1, o, strlen(o)) < 0 ? errno : 0;
  size_t n = strlen(report);
  snprintf(report + n, sizeof report - n, err2 ? " stderr=ERR %d" : " stderr=ok", err2);
  n = strlen(report);
  snprintf(report + n, sizeof report - n, err1 ? " stdout=ERR %d\n" : " stdout=ok\n", err1);
  if (err1 || err2) failed = 1;

  (void)!write(1, report, strlen(report));
  (void)!write(2, report, strlen(report));
  return failed;
}
