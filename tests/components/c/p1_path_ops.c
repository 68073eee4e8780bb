/*
 * Path resolution and removal (wasi-testsuite: interesting_paths,
 * remove_directory_trailing_slashes, remove_nonempty_directory, unlink_file_trailing_slashes)
 * plus confinement at the preopen itself. argv[1] names the preopen.
 */
#include "p1_check.h"

/* path_open with an explicit length, so a NUL inside the path reaches the host. */
__attribute__((import_module("wasi_snapshot_preview1"), import_name("path_open"))) int32_t
raw_path_open(int32_t fd, int32_t dirflags, int32_t path, int32_t path_len, int32_t oflags,
              int64_t base, int64_t inheriting, int32_t fdflags, int32_t out);

static void opens(const char *name, __wasi_fd_t dir, const char *path) {
  __wasi_fd_t fd;
  if (EXPECT_OK(name, __wasi_path_open(dir, 0, path, 0, 0, 0, 0, &fd))) {
    expect_true(name, fd > 2, "an fd above 2");
    (void)__wasi_fd_close(fd);
  }
}

static void interesting_paths(__wasi_fd_t dir, const char *preopen_name) {
  __wasi_fd_t fd;
  EXPECT_OK("interesting_paths/mkdir", __wasi_path_create_directory(dir, "dir"));
  EXPECT_OK("interesting_paths/mkdir_nested", __wasi_path_create_directory(dir, "dir/nested"));
  EXPECT_OK("interesting_paths/create", create_file(dir, "dir/nested/file"));
  EXPECT_ERRNO("interesting_paths/absolute",
               __wasi_path_open(dir, 0, "/dir/nested/file", 0, 0, 0, 0, &fd), __WASI_ERRNO_PERM,
               __WASI_ERRNO_NOTCAPABLE);
  opens("interesting_paths/dots_and_slashes", dir, "dir/.//nested/../../dir/nested/../nested///./file");
  EXPECT_ERRNO("interesting_paths/file_trailing_slash",
               __wasi_path_open(dir, 0, "dir/nested/file/", 0, 0, 0, 0, &fd), __WASI_ERRNO_NOTDIR,
               __WASI_ERRNO_NOENT);
  EXPECT_ERRNO("interesting_paths/file_trailing_slashes",
               __wasi_path_open(dir, 0, "dir/nested/file///", 0, 0, 0, 0, &fd), __WASI_ERRNO_NOTDIR,
               __WASI_ERRNO_NOENT);
  opens("interesting_paths/dir_trailing_slash", dir, "dir/nested/");
  opens("interesting_paths/dir_trailing_slashes", dir, "dir/nested///");
  char escape[300];
  snprintf(escape, sizeof escape, "dir/nested/../../../%s/dir/nested/file", preopen_name);
  EXPECT_ERRNO("interesting_paths/dotdot_above_base_fd",
               __wasi_path_open(dir, 0, escape, 0, 0, 0, 0, &fd), __WASI_ERRNO_PERM,
               __WASI_ERRNO_NOTCAPABLE);
  EXPECT_OK("interesting_paths/unlink", __wasi_path_unlink_file(dir, "dir/nested/file"));
  EXPECT_OK("interesting_paths/rmdir_nested", __wasi_path_remove_directory(dir, "dir/nested"));
  EXPECT_OK("interesting_paths/rmdir", __wasi_path_remove_directory(dir, "dir"));
}

/* Last in the program: preview2-shim traps on a NUL in a path instead of returning an errno. */
static void nul_in_path(__wasi_fd_t dir) {
  __wasi_fd_t fd;
  EXPECT_OK("interesting_paths/nul_setup", create_file(dir, "file"));
  static const char with_nul[] = "file\0";
  EXPECT_ERRNO("interesting_paths/trailing_nul",
               raw_path_open((int32_t)dir, 0, (int32_t)with_nul, (int32_t)(sizeof with_nul - 1), 0, 0, 0, 0,
                             (int32_t)&fd),
               __WASI_ERRNO_INVAL, __WASI_ERRNO_ILSEQ, __WASI_ERRNO_NOENT);
  static const char inner_nul[] = "fi\0le";
  EXPECT_ERRNO("interesting_paths/inner_nul",
               raw_path_open((int32_t)dir, 0, (int32_t)inner_nul, (int32_t)(sizeof inner_nul - 1), 0, 0, 0,
                             0, (int32_t)&fd),
               __WASI_ERRNO_INVAL, __WASI_ERRNO_ILSEQ, __WASI_ERRNO_NOENT);
  (void)__wasi_path_unlink_file(dir, "file");
}

static void preopen_confinement(__wasi_fd_t pre) {
  __wasi_fd_t fd;
  __wasi_filestat_t st;
  EXPECT_ERRNO("confinement/dotdot_from_preopen", __wasi_path_open(pre, 0, "..", 0, 0, 0, 0, &fd),
               __WASI_ERRNO_PERM, __WASI_ERRNO_NOTCAPABLE);
  EXPECT_ERRNO("confinement/dotdot_stat_from_preopen", __wasi_path_filestat_get(pre, 0, "../", &st),
               __WASI_ERRNO_PERM, __WASI_ERRNO_NOTCAPABLE);
  EXPECT_ERRNO("confinement/absolute_root", __wasi_path_open(pre, 0, "/", 0, 0, 0, 0, &fd),
               __WASI_ERRNO_PERM, __WASI_ERRNO_NOTCAPABLE);
  EXPECT_ERRNO("confinement/absolute_etc", __wasi_path_filestat_get(pre, 0, "/etc/passwd", &st),
               __WASI_ERRNO_PERM, __WASI_ERRNO_NOTCAPABLE);
  EXPECT_ERRNO("confinement/mkdir_outside", __wasi_path_create_directory(pre, "../escape.cleanup"),
               __WASI_ERRNO_PERM, __WASI_ERRNO_NOTCAPABLE);
  opens("confinement/dot", pre, ".");
  opens("confinement/dotdot_inside", pre, "./.");
}

static void removals(__wasi_fd_t dir) {
  /* remove_directory_trailing_slashes */
  EXPECT_OK("remove_directory_trailing_slashes/mkdir", __wasi_path_create_directory(dir, "dir.cleanup"));
  EXPECT_OK("remove_directory_trailing_slashes/rmdir", __wasi_path_remove_directory(dir, "dir.cleanup"));
  EXPECT_OK("remove_directory_trailing_slashes/mkdir2", __wasi_path_create_directory(dir, "dir.cleanup"));
  __wasi_errno_t e = __wasi_path_remove_directory(dir, "dir.cleanup/");
  if (e == __WASI_ERRNO_ACCES) e = __wasi_path_remove_directory(dir, "dir.cleanup");
  EXPECT_OK("remove_directory_trailing_slashes/rmdir_slash", e);
  EXPECT_OK("remove_directory_trailing_slashes/create", create_file(dir, "file.cleanup"));
  EXPECT_ERRNO("remove_directory_trailing_slashes/rmdir_file",
               __wasi_path_remove_directory(dir, "file.cleanup"), __WASI_ERRNO_NOTDIR);
  EXPECT_ERRNO("remove_directory_trailing_slashes/rmdir_file_slash",
               __wasi_path_remove_directory(dir, "file.cleanup/"), __WASI_ERRNO_NOTDIR, __WASI_ERRNO_NOENT);
  EXPECT_OK("remove_directory_trailing_slashes/unlink", __wasi_path_unlink_file(dir, "file.cleanup"));
  EXPECT_ERRNO("remove_directory/missing", __wasi_path_remove_directory(dir, "missing"), __WASI_ERRNO_NOENT);

  /* remove_nonempty_directory */
  EXPECT_OK("remove_nonempty_directory/mkdir", __wasi_path_create_directory(dir, "dir"));
  EXPECT_OK("remove_nonempty_directory/mkdir_nested", __wasi_path_create_directory(dir, "dir/nested"));
  EXPECT_ERRNO("remove_nonempty_directory/notempty", __wasi_path_remove_directory(dir, "dir"),
               __WASI_ERRNO_NOTEMPTY);
  EXPECT_OK("remove_nonempty_directory/rmdir_nested", __wasi_path_remove_directory(dir, "dir/nested"));
  EXPECT_OK("remove_nonempty_directory/rmdir", __wasi_path_remove_directory(dir, "dir"));

  /* unlink_file_trailing_slashes */
  EXPECT_OK("unlink_file_trailing_slashes/mkdir", __wasi_path_create_directory(dir, "dir"));
  EXPECT_ERRNO("unlink_file_trailing_slashes/unlink_dir", __wasi_path_unlink_file(dir, "dir"),
               __WASI_ERRNO_ISDIR, __WASI_ERRNO_PERM, __WASI_ERRNO_ACCES);
  EXPECT_ERRNO("unlink_file_trailing_slashes/unlink_dir_slash", __wasi_path_unlink_file(dir, "dir/"),
               __WASI_ERRNO_ISDIR, __WASI_ERRNO_PERM, __WASI_ERRNO_ACCES);
  EXPECT_OK("unlink_file_trailing_slashes/rmdir", __wasi_path_remove_directory(dir, "dir"));
  EXPECT_OK("unlink_file_trailing_slashes/create", create_file(dir, "file"));
  EXPECT_ERRNO("unlink_file_trailing_slashes/unlink_file_slash", __wasi_path_unlink_file(dir, "file/"),
               __WASI_ERRNO_NOTDIR, __WASI_ERRNO_NOENT);
  EXPECT_OK("unlink_file_trailing_slashes/unlink", __wasi_path_unlink_file(dir, "file"));
  EXPECT_ERRNO("unlink_file/missing", __wasi_path_unlink_file(dir, "file"), __WASI_ERRNO_NOENT);

  /* creating over existing names */
  EXPECT_OK("path_create_directory/mkdir", __wasi_path_create_directory(dir, "twice"));
  EXPECT_ERRNO("path_create_directory/exists", __wasi_path_create_directory(dir, "twice"), __WASI_ERRNO_EXIST);
  EXPECT_OK("path_create_directory/rmdir", __wasi_path_remove_directory(dir, "twice"));
}

int main(int argc, char **argv) {
  __wasi_fd_t scratch = scratch_from_args(argc, argv);
  if (scratch == NO_FD) return finish() | 1;
  preopen_confinement(find_preopen(argv[1]));
  __wasi_fd_t dir = make_tmp_dir(scratch, "path_ops_dir.cleanup");
  if (!expect_true("setup/tmp_dir", dir != NO_FD, "a tmp dir")) return finish();
  interesting_paths(dir, argv[1]);
  removals(dir);
  nul_in_path(dir);
  (void)__wasi_fd_close(dir);
  EXPECT_OK("cleanup/rmdir", __wasi_path_remove_directory(scratch, "path_ops_dir.cleanup"));
  return finish();
}
