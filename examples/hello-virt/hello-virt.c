// hello-virt: a tiny WASI program that shows what the policy lets it see. It greets the
// name given as its first argument, lists its argv and environment, and prints a file
// from the directory mounted at / (read-only snapshot with `--mount /=examples/hello-virt/data`).
#include <errno.h>
#include <stdio.h>
#include <string.h>

extern char **environ;

int main(int argc, char **argv) {
  printf("hello, %s!\n", argc > 1 ? argv[1] : "stranger");
  for (int i = 0; i < argc; i++) printf("argv[%d] = %s\n", i, argv[i]);
  int n = 0;
  for (char **e = environ; *e; e++, n++) printf("env: %s\n", *e);
  if (n == 0) printf("env: (empty: nothing from the host unless the policy allows it)\n");

  const char *path = "/greeting.txt";
  FILE *f = fopen(path, "r");
  if (!f) {
    perror(path);
    return 1;
  }
  char line[256];
  while (fgets(line, sizeof line, f)) printf("%s: %s", path, line);
  fclose(f);

  // The mount is read-only: writing there fails, whatever the guest tries.
  FILE *w = fopen("/greeting.txt", "w");
  printf("writing %s: %s\n", path, w ? "allowed (!)" : strerror(errno));
  if (w) fclose(w);
  return 0;
}
