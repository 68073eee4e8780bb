/*
 * proc_exit (wasi-testsuite: proc_exit-success, proc_exit-failure): the code given in argv[1]
 * must become the process exit code exactly, and nothing after proc_exit may run.
 */
#include <stdlib.h>

#include "p1_check.h"

int main(int argc, char **argv) {
  unsigned code = argc > 1 ? (unsigned)atoi(argv[1]) : 0;
  ok("proc_exit/before");
  __wasi_proc_exit(code);
  fail("proc_exit/returned", "expected proc_exit never to return");
  return finish();
}
