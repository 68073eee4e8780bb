/*
 * Test-case guest "get-env" (tests/cases): prints the environment the guest sees, one
 * `NAME=value` line per variable in the order the host hands them over, like WASI-Virt's
 * get-env component returning std::env::vars().
 */
#include <stdio.h>

extern char **environ;

int main(void) {
  for (char **e = environ; e && *e; e++) printf("%s\n", *e);
  return 0;
}
