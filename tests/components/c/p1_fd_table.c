/*
 * The fd table: renumber, closing and overwriting preopens, stdio slots, isatty
 * (wasi-testsuite: renumber, close_preopen, overwrite_preopen, stdio, isatty).
 * argv[1] and argv[2] name two preopens; the second one is closed on purpose.
 */
#include <unistd.h>

#include "p1_check.h"

static void renumber(__wasi_fd_t dir) {
  __wasi_fd_t a = NO_FD, b = NO_FD;
  __wasi_rights_t rw = __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE;
  if (!EXPECT_OK("renumber/open_from",
                 __wasi_path_open(dir, 0, "file1", __WASI_OFLAGS_CREAT, rw, 0, 0, &a)))
    return;
  if (!EXPECT_OK("renumber/open_to",
                 __wasi_path_open(dir, 0, "file2", __WASI_OFLAGS_CREAT, rw, 0, 0, &b)))
    return;
  expect_true("renumber/fds_above_stdio", a > 2 && b > 2, "new fds above 2");
  __wasi_fdstat_t from = fdstat_of(a);
  EXPECT_OK("renumber/ok", __wasi_fd_renumber(a, b));
  EXPECT_ERRNO("renumber/source_closed", __wasi_fd_close(a), __WASI_ERRNO_BADF);
  __wasi_fdstat_t to = fdstat_of(b);
  expect_u64("renumber/same_filetype", from.fs_filetype, to.fs_filetype);
  expect_u64("renumber/same_flags", from.fs_flags, to.fs_flags);
  expect_u64("renumber/same_base_rights", from.fs_rights_base, to.fs_rights_base);
  expect_u64("renumber/same_inheriting_rights", from.fs_rights_inheriting,
             to.fs_rights_inheriting);
  EXPECT_ERRNO("renumber/closed_destination", __wasi_fd_renumber(b, a), __WASI_ERRNO_BADF);
  EXPECT_ERRNO("renumber/closed_source", __wasi_fd_renumber(a, b), __WASI_ERRNO_BADF);
  EXPECT_OK("renumber/close", __wasi_fd_close(b));
  EXPECT_ERRNO("renumber/double_close", __wasi_fd_close(b), __WASI_ERRNO_BADF);
  (void)__wasi_path_unlink_file(dir, "file1");
  (void)__wasi_path_unlink_file(dir, "file2");
}

static void close_preopen(const char *name) {
  __wasi_fd_t pre = find_preopen(name);
  if (!expect_true("close_preopen/found", pre != NO_FD, "the second preopen")) return;
  __wasi_fd_t dir = open_dir_like(pre, ".");
  expect_true("close_preopen/reopen", dir != NO_FD, "path_open(preopen, \".\") to succeed");
  EXPECT_OK("close_preopen/close", __wasi_fd_close(pre));
  expect_u64("close_preopen/other_fd_still_open", __WASI_FILETYPE_DIRECTORY,
             fdstat_of(dir).fs_filetype);
  __wasi_fdstat_t st;
  EXPECT_ERRNO("close_preopen/closed", __wasi_fd_fdstat_get(pre, &st), __WASI_ERRNO_BADF);
  __wasi_prestat_t ps;
  EXPECT_ERRNO("close_preopen/prestat_gone", __wasi_fd_prestat_get(pre, &ps), __WASI_ERRNO_BADF);
  (void)__wasi_fd_close(dir);
}

static void overwrite_preopen(__wasi_fd_t scratch, const char *name) {
  __wasi_fd_t pre = find_preopen(name);
  __wasi_fd_t dir = make_tmp_dir(scratch, "overwrite_preopen_dir.cleanup");
  if (!expect_true("overwrite_preopen/setup", pre != NO_FD && dir != NO_FD && dir > pre,
                   "a preopen and a higher-numbered dir fd"))
    return;
  __wasi_filestat_t before, after;
  (void)__wasi_fd_filestat_get(dir, &before);
  EXPECT_OK("overwrite_preopen/renumber", __wasi_fd_renumber(dir, pre));
  if (EXPECT_OK("overwrite_preopen/still_open", __wasi_fd_filestat_get(pre, &after))) {
    expect_u64("overwrite_preopen/same_dev", before.dev, after.dev);
    expect_u64("overwrite_preopen/same_ino", before.ino, after.ino);
  }
  __wasi_fdstat_t st;
  EXPECT_ERRNO("overwrite_preopen/source_closed", __wasi_fd_fdstat_get(dir, &st),
               __WASI_ERRNO_BADF);
  EXPECT_OK("overwrite_preopen/close", __wasi_fd_close(pre));
  (void)__wasi_path_remove_directory(scratch, "overwrite_preopen_dir.cleanup");
}

static void isatty_file(__wasi_fd_t dir) {
  __wasi_fd_t fd;
  if (!EXPECT_OK("isatty/create", __wasi_path_open(dir, 0, "file", __WASI_OFLAGS_CREAT, 0, 0, 0, &fd)))
    return;
  expect_u64("isatty/regular_file", __WASI_FILETYPE_REGULAR_FILE, fdstat_of(fd).fs_filetype);
  expect_true("isatty/not_a_tty", isatty((int)fd) == 0, "isatty(file) == 0");
  (void)__wasi_fd_close(fd);
  (void)__wasi_path_unlink_file(dir, "file");
}

/* Moves fds 0, 2 and finally 1 onto files; the report follows stdout to its new number. */
static void stdio(__wasi_fd_t dir) {
  static const __wasi_fd_t order[3] = {0, 2, 1};
  char name[64];
  for (int i = 0; i < 3; i++) {
    __wasi_fd_t from = order[i], to = NO_FD;
    __wasi_fdstat_t st;
    snprintf(name, sizeof name, "stdio/fdstat_%u", from);
    EXPECT_OK(name, __wasi_fd_fdstat_get(from, &st));
    snprintf(name, sizeof name, "stdio/open_%u", from);
    if (!EXPECT_OK(name, __wasi_path_open(dir, 0, "file.cleanup", __WASI_OFLAGS_CREAT, 0, 0, 0, &to)))
      continue;
    __wasi_errno_t e = __wasi_fd_renumber(from, to);
    if (from == 1 && e == 0) report_fd = to;
    snprintf(name, sizeof name, "stdio/renumber_%u", from);
    EXPECT_OK(name, e);
    snprintf(name, sizeof name, "stdio/moved_%u", from);
    EXPECT_OK(name, __wasi_fd_fdstat_get(to, &st));
    snprintf(name, sizeof name, "stdio/slot_%u_closed", from);
    EXPECT_ERRNO(name, __wasi_fd_fdstat_get(from, &st), __WASI_ERRNO_BADF);
    (void)__wasi_path_unlink_file(dir, "file.cleanup");
  }
}

int main(int argc, char **argv) {
  __wasi_fd_t scratch = scratch_from_args(argc, argv);
  if (scratch == NO_FD || argc < 3) return finish() | 1;
  __wasi_fd_t dir = make_tmp_dir(scratch, "fd_table_dir.cleanup");
  if (!expect_true("setup/tmp_dir", dir != NO_FD, "a tmp dir")) return finish();
  renumber(dir);
  isatty_file(dir);
  close_preopen(argv[2]);
  overwrite_preopen(scratch, argv[1]);
  stdio(dir);
  (void)__wasi_fd_close(dir);
  EXPECT_OK("cleanup/rmdir", __wasi_path_remove_directory(scratch, "fd_table_dir.cleanup"));
  return finish();
}
