/*
 * Test-case guest "args": prints argc and each argument on its own line
 * ("argv[0]=..."), then exits with the status given as "--exit=N" if one is present
 * (default 0). Covers argv and, with exit = "deny", the exit rules.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  int status = 0;
  printf("argc=%d\n", argc);
  for (int i = 0; i < argc; i++) {
    printf("argv[%d]=%s\n", i, argv[i]);
    if (strncmp(argv[i], "--exit=", 7) == 0) status = atoi(argv[i] + 7);
  }
  fflush(stdout);
  exit(status);
}
