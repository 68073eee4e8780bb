/*
 * Reporting and helpers shared by the p1_* conformance guests.
 *
 * Each check prints one line on the report fd: "ok <name>" or
 * "FAIL <name>: expected X got Y". A program ends with finish(), which prints
 * "done" and returns 1 if any check failed. The report goes through raw
 * fd_write so that a program that moves stdout (fd_renumber) can keep
 * reporting on the new number, and so libc buffering never hides a line
 * before a trap.
 *
 * Check names are "<wasi-testsuite test>/<detail>" where the behaviour comes
 * from that suite, so a failure points at the suite test it predicts.
 */
#ifndef P1_CHECK_H
#define P1_CHECK_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

#define P1_FN static __attribute__((unused))

static __wasi_fd_t report_fd = 1;
static int failures;

P1_FN void emit(const char *text) {
  size_t len = strlen(text);
  while (len > 0) {
    __wasi_ciovec_t iov = {(const uint8_t *)text, len};
    __wasi_size_t n = 0;
    if (__wasi_fd_write(report_fd, &iov, 1, &n) != 0 || n == 0) return;
    text += n;
    len -= n;
  }
}

P1_FN void ok(const char *name) {
  char line[256];
  snprintf(line, sizeof line, "ok %s\n", name);
  emit(line);
}

P1_FN void fail(const char *name, const char *fmt, ...) {
  char detail[256];
  char line[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(detail, sizeof detail, fmt, ap);
  va_end(ap);
  snprintf(line, sizeof line, "FAIL %s: %s\n", name, detail);
  emit(line);
  failures++;
}

static const char *const errno_names[] = {
    "SUCCESS", "2BIG", "ACCES", "ADDRINUSE", "ADDRNOTAVAIL", "AFNOSUPPORT", "AGAIN", "ALREADY",
    "BADF", "BADMSG", "BUSY", "CANCELED", "CHILD", "CONNABORTED", "CONNREFUSED", "CONNRESET",
    "DEADLK", "DESTADDRREQ", "DOM", "DQUOT", "EXIST", "FAULT", "FBIG", "HOSTUNREACH", "IDRM",
    "ILSEQ", "INPROGRESS", "INTR", "INVAL", "IO", "ISCONN", "ISDIR", "LOOP", "MFILE", "MLINK",
    "MSGSIZE", "MULTIHOP", "NAMETOOLONG", "NETDOWN", "NETRESET", "NETUNREACH", "NFILE", "NOBUFS",
    "NODEV", "NOENT", "NOEXEC", "NOLCK", "NOLINK", "NOMEM", "NOMSG", "NOPROTOOPT", "NOSPC",
    "NOSYS", "NOTCONN", "NOTDIR", "NOTEMPTY", "NOTRECOVERABLE", "NOTSOCK", "NOTSUP", "NOTTY",
    "NXIO", "OVERFLOW", "OWNERDEAD", "PERM", "PIPE", "PROTO", "PROTONOSUPPORT", "PROTOTYPE",
    "RANGE", "ROFS", "SPIPE", "SRCH", "STALE", "TIMEDOUT", "TXTBSY", "XDEV", "NOTCAPABLE"};

P1_FN const char *errno_name(unsigned e) {
  static char other[16];
  if (e < sizeof errno_names / sizeof errno_names[0]) return errno_names[e];
  snprintf(other, sizeof other, "errno %u", e);
  return other;
}

/* Passes when `got` is one of the `n` errnos that follow. */
P1_FN int expect_errno_in(const char *name, unsigned got, int n, ...) {
  char want[200] = "";
  int hit = 0;
  va_list ap;
  va_start(ap, n);
  for (int i = 0; i < n; i++) {
    unsigned e = va_arg(ap, unsigned);
    if (e == got) hit = 1;
    if (i) strncat(want, " or ", sizeof want - strlen(want) - 1);
    strncat(want, errno_name(e), sizeof want - strlen(want) - 1);
  }
  va_end(ap);
  if (hit) ok(name);
  else fail(name, "expected %s got %s", want, errno_name(got));
  return hit;
}

#define P1_COUNT(...) ((int)(sizeof((unsigned[]){__VA_ARGS__}) / sizeof(unsigned)))
#define EXPECT_ERRNO(name, got, ...) \
  expect_errno_in((name), (unsigned)(got), P1_COUNT(__VA_ARGS__), __VA_ARGS__)
#define EXPECT_OK(name, got) EXPECT_ERRNO((name), (got), __WASI_ERRNO_SUCCESS)

P1_FN int expect_u64(const char *name, uint64_t expected, uint64_t got) {
  if (expected == got) {
    ok(name);
    return 1;
  }
  fail(name, "expected %llu got %llu", (unsigned long long)expected, (unsigned long long)got);
  return 0;
}

P1_FN int expect_true(const char *name, int cond, const char *what) {
  if (cond) ok(name);
  else fail(name, "expected %s", what);
  return cond;
}

P1_FN int finish(void) {
  emit("done\n");
  return failures ? 1 : 0;
}

#define NO_FD ((__wasi_fd_t)0xffffffffu)

/* The fd of the preopen whose guest name is `name`, scanning 3.. like the suite's helpers. */
P1_FN __wasi_fd_t find_preopen(const char *name) {
  for (__wasi_fd_t fd = 3; fd < 64; fd++) {
    __wasi_prestat_t ps;
    if (__wasi_fd_prestat_get(fd, &ps) != 0) break;
    if (ps.tag != __WASI_PREOPENTYPE_DIR || ps.u.dir.pr_name_len >= 256) continue;
    char buf[256];
    if (__wasi_fd_prestat_dir_name(fd, (uint8_t *)buf, ps.u.dir.pr_name_len) != 0) continue;
    if (ps.u.dir.pr_name_len == strlen(name) && memcmp(buf, name, ps.u.dir.pr_name_len) == 0)
      return fd;
  }
  return NO_FD;
}

P1_FN __wasi_fdstat_t fdstat_of(__wasi_fd_t fd) {
  __wasi_fdstat_t st;
  memset(&st, 0, sizeof st);
  if (__wasi_fd_fdstat_get(fd, &st) != 0) memset(&st, 0xff, sizeof st);
  return st;
}

/* A fresh fd for `path` under `dir` carrying the dir's own rights (the suite's scratch dir). */
P1_FN __wasi_fd_t open_dir_like(__wasi_fd_t dir, const char *path) {
  __wasi_fdstat_t st = fdstat_of(dir);
  __wasi_fd_t fd = NO_FD;
  if (__wasi_path_open(dir, 0, path, __WASI_OFLAGS_DIRECTORY, st.fs_rights_base,
                       st.fs_rights_inheriting, 0, &fd) != 0)
    return NO_FD;
  return fd;
}

#define DIR_BASE_RIGHTS                                                                       \
  (__WASI_RIGHTS_FD_FILESTAT_GET | __WASI_RIGHTS_FD_READDIR | __WASI_RIGHTS_PATH_CREATE_FILE | \
   __WASI_RIGHTS_PATH_CREATE_DIRECTORY | __WASI_RIGHTS_PATH_REMOVE_DIRECTORY |                \
   __WASI_RIGHTS_PATH_OPEN | __WASI_RIGHTS_PATH_UNLINK_FILE | __WASI_RIGHTS_PATH_LINK_SOURCE | \
   __WASI_RIGHTS_PATH_LINK_TARGET | __WASI_RIGHTS_PATH_READLINK |                             \
   __WASI_RIGHTS_PATH_RENAME_SOURCE | __WASI_RIGHTS_PATH_RENAME_TARGET |                      \
   __WASI_RIGHTS_PATH_FILESTAT_GET | __WASI_RIGHTS_PATH_FILESTAT_SET_SIZE |                   \
   __WASI_RIGHTS_PATH_FILESTAT_SET_TIMES | __WASI_RIGHTS_PATH_SYMLINK)

#define DIR_INHERITING_RIGHTS                                                            \
  (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_READDIR |          \
   __WASI_RIGHTS_FD_FILESTAT_GET | __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_PATH_LINK_SOURCE | \
   __WASI_RIGHTS_PATH_LINK_TARGET | __WASI_RIGHTS_PATH_OPEN | __WASI_RIGHTS_PATH_UNLINK_FILE | \
   __WASI_RIGHTS_PATH_FILESTAT_GET | __WASI_RIGHTS_FD_FDSTAT_SET_FLAGS | __WASI_RIGHTS_FD_SYNC | \
   __WASI_RIGHTS_FD_TELL | __WASI_RIGHTS_FD_ADVISE | __WASI_RIGHTS_FD_ALLOCATE |            \
   __WASI_RIGHTS_FD_FILESTAT_SET_SIZE | __WASI_RIGHTS_FD_FILESTAT_SET_TIMES)

/*
 * mkdir + open with the base rights the suite's create_tmp_dir asks for. The inheriting set adds
 * the base set, so subdirectories opened from the tmp dir can do what it does (a host that
 * enforces rights refuses a request for rights the parent cannot pass on).
 */
P1_FN __wasi_fd_t make_tmp_dir(__wasi_fd_t parent, const char *name) {
  __wasi_fd_t fd = NO_FD;
  if (__wasi_path_create_directory(parent, name) != 0) return NO_FD;
  if (__wasi_path_open(parent, 0, name, __WASI_OFLAGS_DIRECTORY, DIR_BASE_RIGHTS,
                       DIR_BASE_RIGHTS | DIR_INHERITING_RIGHTS, 0, &fd) != 0)
    return NO_FD;
  return fd;
}

/* Creates an empty file with rights 0 (creation is the directory's right, not the file's). */
P1_FN __wasi_errno_t create_file(__wasi_fd_t dir, const char *name) {
  __wasi_fd_t fd;
  __wasi_errno_t e = __wasi_path_open(dir, 0, name, __WASI_OFLAGS_CREAT, 0, 0, 0, &fd);
  if (e == 0) (void)__wasi_fd_close(fd);
  return e;
}

P1_FN __wasi_errno_t write_all(__wasi_fd_t fd, const void *data, size_t len, size_t *written) {
  __wasi_ciovec_t iov = {(const uint8_t *)data, len};
  return __wasi_fd_write(fd, &iov, 1, written);
}

P1_FN __wasi_errno_t read_into(__wasi_fd_t fd, void *data, size_t len, size_t *got) {
  __wasi_iovec_t iov = {(uint8_t *)data, len};
  return __wasi_fd_read(fd, &iov, 1, got);
}

/* The scratch directory every FS program works in: a fresh fd on the preopen named argv[1]. */
P1_FN __wasi_fd_t scratch_from_args(int argc, char **argv) {
  if (argc < 2) {
    fail("setup/args", "expected the preopen name as argv[1]");
    return NO_FD;
  }
  __wasi_fd_t pre = find_preopen(argv[1]);
  if (pre == NO_FD) {
    fail("setup/preopen", "expected a preopen named %s", argv[1]);
    return NO_FD;
  }
  __wasi_fd_t dir = open_dir_like(pre, ".");
  if (dir == NO_FD) fail("setup/scratch", "expected path_open(preopen, \".\") to succeed");
  return dir;
}

#endif
