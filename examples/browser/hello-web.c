/*
 * The program examples/browser/index.html runs (and the engine tests: tests/web). It greets
 * argv[1] with $GREETING, lists the rest of argv, then prints /data/message.txt, which the
 * bundle carries as a snapshot. A failed write to stdout (a policy with stdout denied) is
 * reported on stderr with exit status 3; a missing file with status 2.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  const char *greeting = getenv("GREETING");
  printf("%s, %s!\n", greeting ? greeting : "hello", argc > 1 ? argv[1] : "world");
  for (int i = 2; i < argc; i++) printf("argv[%d] = %s\n", i, argv[i]);
  FILE *f = fopen("/data/message.txt", "r");
  if (!f) {
    fprintf(stderr, "cannot open /data/message.txt: %s\n", strerror(errno));
    return 2;
  }
  char buf[256];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) fwrite(buf, 1, n, stdout);
  fclose(f);
  if (fflush(stdout) != 0) {
    fprintf(stderr, "cannot write stdout: %s\n", strerror(errno));
    return 3;
  }
  return 0;
}
