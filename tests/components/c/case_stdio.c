/*
 * Test-case guest "stdio": writes "Hello world" (no newline) to stdout, as WASI-Virt's
 * stdio component does.
 */
#include <stdio.h>

int main(void) {
  fputs("Hello world", stdout);
  return 0;
}
