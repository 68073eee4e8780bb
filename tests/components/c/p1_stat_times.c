/*
 * filestat and timestamps (wasi-testsuite: fd_filestat_set, fstflags_validate, path_filestat,
 * stat-dev-ino). Timestamps are nanoseconds and must round-trip exactly. argv[1] names the
 * preopen.
 */
#include "p1_check.h"

#define R(x) __WASI_RIGHTS_##x
#define T_ATIM 1577836800123456789ull /* 2020-01-01T00:00:00.123456789Z */
#define T_MTIM 1577836801987654321ull

static void fd_filestat_set(__wasi_fd_t dir) {
  __wasi_fd_t fd;
  __wasi_filestat_t st, st2;
  if (!EXPECT_OK("fd_filestat_set/create",
                 __wasi_path_open(dir, 0, "fstat.cleanup", __WASI_OFLAGS_CREAT,
                                  R(FD_READ) | R(FD_WRITE) | R(FD_FILESTAT_GET) |
                                      R(FD_FILESTAT_SET_SIZE) | R(FD_FILESTAT_SET_TIMES),
                                  0, 0, &fd)))
    return;
  if (EXPECT_OK("fd_filestat_set/stat", __wasi_fd_filestat_get(fd, &st))) {
    expect_u64("fd_filestat_set/empty", 0, st.size);
    expect_u64("fd_filestat_set/regular", __WASI_FILETYPE_REGULAR_FILE, st.filetype);
    expect_u64("fd_filestat_set/nlink", 1, st.nlink);
  }
  EXPECT_OK("fd_filestat_set/set_size", __wasi_fd_filestat_set_size(fd, 100));
  if (EXPECT_OK("fd_filestat_set/stat2", __wasi_fd_filestat_get(fd, &st)))
    expect_u64("fd_filestat_set/size_100", 100, st.size);
  __wasi_timestamp_t new_mtim = st.mtim - 100;
  EXPECT_OK("fd_filestat_set/set_mtim",
            __wasi_fd_filestat_set_times(fd, new_mtim, new_mtim, __WASI_FSTFLAGS_MTIM));
  if (EXPECT_OK("fd_filestat_set/stat3", __wasi_fd_filestat_get(fd, &st2))) {
    expect_u64("fd_filestat_set/size_kept", 100, st2.size);
    expect_u64("fd_filestat_set/mtim_exact", new_mtim, st2.mtim);
    expect_u64("fd_filestat_set/atim_untouched", st.atim, st2.atim);
  }
  EXPECT_OK("fd_filestat_set/set_both",
            __wasi_fd_filestat_set_times(fd, T_ATIM, T_MTIM, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
  if (EXPECT_OK("fd_filestat_set/stat4", __wasi_fd_filestat_get(fd, &st2))) {
    expect_u64("fd_filestat_set/atim_ns_exact", T_ATIM, st2.atim);
    expect_u64("fd_filestat_set/mtim_ns_exact", T_MTIM, st2.mtim);
  }
  __wasi_timestamp_t now = 0;
  (void)__wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 1, &now);
  EXPECT_OK("fd_filestat_set/mtim_now", __wasi_fd_filestat_set_times(fd, 0, 0, __WASI_FSTFLAGS_MTIM_NOW));
  if (EXPECT_OK("fd_filestat_set/stat5", __wasi_fd_filestat_get(fd, &st2)))
    expect_true("fd_filestat_set/mtim_now_is_now",
                st2.mtim + 5000000000ull >= now && st2.mtim <= now + 5000000000ull,
                "mtim within 5 s of the realtime clock");
  (void)__wasi_fd_close(fd);
  (void)__wasi_path_unlink_file(dir, "fstat.cleanup");
}

static void path_filestat(__wasi_fd_t dir) {
  __wasi_fdstat_t dst = fdstat_of(dir);
  expect_true("path_filestat/dir_right", (dst.fs_rights_base & R(PATH_FILESTAT_GET)) != 0,
              "PATH_FILESTAT_GET on the dir");
  __wasi_rights_t rights = R(FD_READ) | R(FD_WRITE) | R(PATH_FILESTAT_GET);
  __wasi_fdflags_t flags = __WASI_FDFLAGS_APPEND | __WASI_FDFLAGS_SYNC;
  __wasi_fd_t fd;
  __wasi_errno_t e = __wasi_path_open(dir, 0, "file", __WASI_OFLAGS_CREAT, rights, 0, flags, &fd);
  if (e == __WASI_ERRNO_NOTSUP) {
    flags = __WASI_FDFLAGS_APPEND;
    e = __wasi_path_open(dir, 0, "file", __WASI_OFLAGS_CREAT, rights, 0, flags, &fd);
  }
  if (!EXPECT_OK("path_filestat/create", e)) return;
  __wasi_fdstat_t fst = fdstat_of(fd);
  expect_u64("path_filestat/append_reported", __WASI_FDFLAGS_APPEND, fst.fs_flags & __WASI_FDFLAGS_APPEND);
  if (flags & __WASI_FDFLAGS_SYNC)
    expect_u64("path_filestat/sync_reported", __WASI_FDFLAGS_SYNC, fst.fs_flags & __WASI_FDFLAGS_SYNC);
  __wasi_filestat_t st, st2;
  if (!EXPECT_OK("path_filestat/stat", __wasi_path_filestat_get(dir, 0, "file", &st))) return;
  expect_u64("path_filestat/size_0", 0, st.size);
  __wasi_timestamp_t new_mtim = st.mtim - 100;
  EXPECT_OK("path_filestat/set_mtim",
            __wasi_path_filestat_set_times(dir, 0, "file", 0, new_mtim, __WASI_FSTFLAGS_MTIM));
  if (EXPECT_OK("path_filestat/stat2", __wasi_path_filestat_get(dir, 0, "file", &st2))) {
    expect_u64("path_filestat/mtim_exact", new_mtim, st2.mtim);
    expect_u64("path_filestat/atim_untouched", st.atim, st2.atim);
  }
  EXPECT_OK("path_filestat/set_both",
            __wasi_path_filestat_set_times(dir, 0, "file", T_ATIM, T_MTIM,
                                           __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
  if (EXPECT_OK("path_filestat/stat4", __wasi_path_filestat_get(dir, 0, "file", &st2))) {
    expect_u64("path_filestat/atim_ns_exact", T_ATIM, st2.atim);
    expect_u64("path_filestat/mtim_ns_exact", T_MTIM, st2.mtim);
  }
  (void)__wasi_fd_close(fd);
  (void)__wasi_path_unlink_file(dir, "file");
}

static void dev_ino(__wasi_fd_t dir) {
  __wasi_filestat_t a, b, d;
  EXPECT_OK("stat-dev-ino/create_a", create_file(dir, "a"));
  EXPECT_OK("stat-dev-ino/create_b", create_file(dir, "b"));
  if (EXPECT_OK("stat-dev-ino/stat_a", __wasi_path_filestat_get(dir, 0, "a", &a)) &&
      EXPECT_OK("stat-dev-ino/stat_b", __wasi_path_filestat_get(dir, 0, "b", &b))) {
    expect_u64("stat-dev-ino/same_dev", a.dev, b.dev);
    expect_true("stat-dev-ino/different_ino", a.ino != b.ino, "different inodes");
  }
  if (EXPECT_OK("stat-dev-ino/stat_dir", __wasi_fd_filestat_get(dir, &d))) {
    expect_u64("stat-dev-ino/dir_filetype", __WASI_FILETYPE_DIRECTORY, d.filetype);
    expect_u64("stat-dev-ino/dir_same_dev", a.dev, d.dev);
  }
  (void)__wasi_path_unlink_file(dir, "a");
  (void)__wasi_path_unlink_file(dir, "b");
}

/*
 * Invalid flag pairs (ATIM with ATIM_NOW, MTIM with MTIM_NOW) must be refused before anything
 * changes. Each invalid call gets an fd of its own that is never used again, and the
 * "untouched" checks read through the scratch dir: node:wasi leaves the fd locked after such an
 * EINVAL, so reusing one would hang this program instead of failing a check.
 */
static void fstflags_validate(__wasi_fd_t scratch, const char *dir_name) {
  char path[128];
  snprintf(path, sizeof path, "%s/v", dir_name);
  if (!EXPECT_OK("fstflags_validate/create", create_file(scratch, path))) return;
  EXPECT_OK("fstflags_validate/set_known",
            __wasi_path_filestat_set_times(scratch, 0, path, T_ATIM, T_MTIM,
                                           __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
  __wasi_fd_t f1, f2;
  __wasi_rights_t rights = R(FD_READ) | R(FD_FILESTAT_SET_TIMES);
  if (EXPECT_OK("fstflags_validate/open1", __wasi_path_open(scratch, 0, path, 0, rights, 0, 0, &f1)))
    EXPECT_ERRNO("fstflags_validate/fd_mtim_and_now",
                 __wasi_fd_filestat_set_times(f1, 100, 200, __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW),
                 __WASI_ERRNO_INVAL);
  if (EXPECT_OK("fstflags_validate/open2", __wasi_path_open(scratch, 0, path, 0, rights, 0, 0, &f2)))
    EXPECT_ERRNO("fstflags_validate/fd_atim_and_now",
                 __wasi_fd_filestat_set_times(f2, 100, 200, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW),
                 __WASI_ERRNO_INVAL);
  __wasi_fd_t d1 = open_dir_like(scratch, dir_name), d2 = open_dir_like(scratch, dir_name);
  if (expect_true("fstflags_validate/open_dirs", d1 != NO_FD && d2 != NO_FD, "two dir fds")) {
    EXPECT_ERRNO("path_filestat/mtim_and_now",
                 __wasi_path_filestat_set_times(d1, 0, "v", 0, 5, __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW),
                 __WASI_ERRNO_INVAL);
    EXPECT_ERRNO("path_filestat/atim_and_now",
                 __wasi_path_filestat_set_times(d2, 0, "v", 5, 0, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW),
                 __WASI_ERRNO_INVAL);
  }
  __wasi_filestat_t st;
  if (EXPECT_OK("fstflags_validate/stat", __wasi_path_filestat_get(scratch, 0, path, &st))) {
    expect_u64("fstflags_validate/mtim_untouched", T_MTIM, st.mtim);
    expect_u64("fstflags_validate/atim_untouched", T_ATIM, st.atim);
  }
  EXPECT_OK("fstflags_validate/unlink", __wasi_path_unlink_file(scratch, path));
}

int main(int argc, char **argv) {
  __wasi_fd_t scratch = scratch_from_args(argc, argv);
  if (scratch == NO_FD) return finish() | 1;
  __wasi_fd_t dir = make_tmp_dir(scratch, "stat_times_dir.cleanup");
  if (!expect_true("setup/tmp_dir", dir != NO_FD, "a tmp dir")) return finish();
  fd_filestat_set(dir);
  path_filestat(dir);
  dev_ino(dir);
  (void)__wasi_fd_close(dir);
  fstflags_validate(scratch, "stat_times_dir.cleanup"); /* last: see its comment */
  EXPECT_OK("cleanup/rmdir", __wasi_path_remove_directory(scratch, "stat_times_dir.cleanup"));
  return finish();
}
