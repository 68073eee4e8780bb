/*
 * demo: copy one file to another with plain POSIX calls, as the file-copy program of the
 * WASI tutorial does. It knows nothing of WASI: wasi-libc maps each path onto one of the
 * directories the runtime preopened, and a path no preopen covers fails with ENOTCAPABLE
 * ("Capabilities insufficient"), which is the sandbox the tutorial demonstrates.
 *
 *   demo <from> <to>    exit 0 on success; 1 with one line on stderr otherwise
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void fail(const char *what, const char *path) {
  int err = errno;
  if (path)
    fprintf(stderr, "%s %s: %s\n", what, path, strerror(err));
  else
    fprintf(stderr, "%s: %s\n", what, strerror(err));
  exit(1);
}

/* Write all of buf; write() may take less than asked. */
static void write_fully(int fd, const char *buf, size_t len) {
  while (len > 0) {
    ssize_t done = write(fd, buf, len);
    if (done < 0) {
      if (errno == EINTR) continue;
      fail("write error", NULL);
    }
    buf += done;
    len -= (size_t)done;
  }
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s <from> <to>\n", argc > 0 ? argv[0] : "demo");
    return 1;
  }
  const char *from = argv[1], *to = argv[2];

  int src = open(from, O_RDONLY);
  if (src < 0) fail("error opening input", from);
  /* O_TRUNC (the tutorial's program leaves it out) so an existing, longer output file
     does not keep its old tail. */
  int dst = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0660);
  if (dst < 0) fail("error opening output", to);

  static char chunk[16384];
  for (;;) {
    ssize_t got = read(src, chunk, sizeof chunk);
    if (got == 0) break;
    if (got < 0) {
      if (errno == EINTR) continue;
      fail("read error", NULL);
    }
    write_fully(dst, chunk, (size_t)got);
  }
  if (close(dst) < 0) fail("error closing output", to);
  close(src);
  return 0;
}
