/*
 * path_rename and path_link (wasi-testsuite: path_rename, path_rename_dir_trailing_slashes,
 * path_link). argv[1] names the preopen.
 */
#include "p1_check.h"

#define R(x) __WASI_RIGHTS_##x
#define LINK_RIGHTS \
  (R(FD_READ) | R(PATH_LINK_SOURCE) | R(PATH_LINK_TARGET) | R(FD_FILESTAT_GET) | R(PATH_OPEN) | R(PATH_UNLINK_FILE))

static int gone(__wasi_fd_t dir, const char *path, __wasi_oflags_t of) {
  __wasi_fd_t fd;
  return __wasi_path_open(dir, 0, path, of, 0, 0, 0, &fd) == __WASI_ERRNO_NOENT;
}

static int present(__wasi_fd_t dir, const char *path, __wasi_oflags_t of) {
  __wasi_fd_t fd;
  if (__wasi_path_open(dir, 0, path, of, 0, 0, 0, &fd) != 0) return 0;
  (void)__wasi_fd_close(fd);
  return 1;
}

static void path_rename(__wasi_fd_t dir) {
  __wasi_oflags_t D = __WASI_OFLAGS_DIRECTORY;
  EXPECT_OK("path_rename/mkdir", __wasi_path_create_directory(dir, "source"));
  EXPECT_OK("path_rename/dir_to_new", __wasi_path_rename(dir, "source", dir, "target"));
  expect_true("path_rename/dir_source_gone", gone(dir, "source", D), "NOENT for the old name");
  expect_true("path_rename/dir_target_there", present(dir, "target", D), "the new name to open");
  (void)__wasi_path_remove_directory(dir, "target");

  EXPECT_OK("path_rename/mkdir_pair_a", __wasi_path_create_directory(dir, "source"));
  EXPECT_OK("path_rename/mkdir_pair_b", __wasi_path_create_directory(dir, "target"));
  EXPECT_OK("path_rename/dir_onto_empty_dir", __wasi_path_rename(dir, "source", dir, "target"));
  expect_true("path_rename/dir_onto_empty_source_gone", gone(dir, "source", D), "NOENT for the old name");
  expect_true("path_rename/dir_onto_empty_target_there", present(dir, "target", D), "the new name to open");
  (void)__wasi_path_remove_directory(dir, "target");
  (void)__wasi_path_remove_directory(dir, "source");

  EXPECT_OK("path_rename/mkdir_source", __wasi_path_create_directory(dir, "source"));
  EXPECT_OK("path_rename/mkdir_target", __wasi_path_create_directory(dir, "target"));
  EXPECT_OK("path_rename/fill_target", create_file(dir, "target/file"));
  EXPECT_ERRNO("path_rename/dir_onto_nonempty_dir", __wasi_path_rename(dir, "source", dir, "target"),
               __WASI_ERRNO_NOTEMPTY, __WASI_ERRNO_ACCES);
  __wasi_errno_t e = __wasi_path_rename(dir, "source", dir, "target/file");
  if (e == 0) {
    ok("path_rename/dir_onto_file_allowed");
    (void)__wasi_path_remove_directory(dir, "target/file");
  } else {
    EXPECT_ERRNO("path_rename/dir_onto_file", e, __WASI_ERRNO_NOTDIR);
    (void)__wasi_path_unlink_file(dir, "target/file");
    (void)__wasi_path_remove_directory(dir, "source");
  }
  (void)__wasi_path_remove_directory(dir, "target");

  EXPECT_OK("path_rename/create", create_file(dir, "source"));
  EXPECT_OK("path_rename/file_to_new", __wasi_path_rename(dir, "source", dir, "target"));
  expect_true("path_rename/file_source_gone", gone(dir, "source", 0), "NOENT for the old name");
  expect_true("path_rename/file_target_there", present(dir, "target", 0), "the new name to open");
  (void)__wasi_path_unlink_file(dir, "target");

  EXPECT_OK("path_rename/create_pair_a", create_file(dir, "source"));
  EXPECT_OK("path_rename/create_pair_b", create_file(dir, "target"));
  EXPECT_OK("path_rename/file_onto_file", __wasi_path_rename(dir, "source", dir, "target"));
  expect_true("path_rename/file_onto_file_source_gone", gone(dir, "source", 0), "NOENT for the old name");
  expect_true("path_rename/file_onto_file_target_there", present(dir, "target", 0), "the new name to open");
  (void)__wasi_path_unlink_file(dir, "target");

  EXPECT_OK("path_rename/create_file_for_dir", create_file(dir, "source"));
  EXPECT_OK("path_rename/mkdir_for_file", __wasi_path_create_directory(dir, "target"));
  EXPECT_ERRNO("path_rename/file_onto_dir", __wasi_path_rename(dir, "source", dir, "target"),
               __WASI_ERRNO_ISDIR, __WASI_ERRNO_ACCES);
  (void)__wasi_path_remove_directory(dir, "target");
  (void)__wasi_path_unlink_file(dir, "source");

  EXPECT_ERRNO("path_rename/missing_source", __wasi_path_rename(dir, "missing", dir, "target"),
               __WASI_ERRNO_NOENT);

  /* Across directory fds: rename into a subdirectory through its own fd. */
  EXPECT_OK("path_rename/mkdir_sub", __wasi_path_create_directory(dir, "sub"));
  __wasi_fd_t sub = open_dir_like(dir, "sub");
  EXPECT_OK("path_rename/create_moving", create_file(dir, "moving"));
  if (expect_true("path_rename/open_sub", sub != NO_FD, "the subdir to open")) {
    EXPECT_OK("path_rename/across_fds", __wasi_path_rename(dir, "moving", sub, "moved"));
    expect_true("path_rename/across_fds_arrived", present(dir, "sub/moved", 0), "sub/moved to exist");
    (void)__wasi_fd_close(sub);
  }
  (void)__wasi_path_unlink_file(dir, "sub/moved");
  (void)__wasi_path_unlink_file(dir, "moving");
  (void)__wasi_path_remove_directory(dir, "sub");
}

static void rename_trailing_slashes(__wasi_fd_t dir) {
  EXPECT_OK("path_rename_dir_trailing_slashes/mkdir", __wasi_path_create_directory(dir, "source"));
  EXPECT_OK("path_rename_dir_trailing_slashes/source_slash", __wasi_path_rename(dir, "source/", dir, "target"));
  EXPECT_OK("path_rename_dir_trailing_slashes/target_slash", __wasi_path_rename(dir, "target", dir, "source/"));
  EXPECT_OK("path_rename_dir_trailing_slashes/both_slashes", __wasi_path_rename(dir, "source/", dir, "target/"));
  EXPECT_OK("path_rename_dir_trailing_slashes/no_slashes", __wasi_path_rename(dir, "target", dir, "source"));
  EXPECT_OK("path_rename_dir_trailing_slashes/rmdir", __wasi_path_remove_directory(dir, "source"));
  EXPECT_OK("path_rename_file_trailing_slash/create", create_file(dir, "file"));
  EXPECT_ERRNO("path_rename_file_trailing_slash/source_slash", __wasi_path_rename(dir, "file/", dir, "other"),
               __WASI_ERRNO_NOTDIR, __WASI_ERRNO_NOENT);
  (void)__wasi_path_unlink_file(dir, "file");
}

static __wasi_fd_t open_rights(__wasi_fd_t dir, const char *name, __wasi_oflags_t of) {
  __wasi_fd_t fd = NO_FD;
  if (__wasi_path_open(dir, 0, name, of, LINK_RIGHTS, LINK_RIGHTS, 0, &fd) != 0) return NO_FD;
  return fd;
}

static void same_file(const char *what, __wasi_fd_t a, __wasi_fd_t b) {
  char name[96];
  __wasi_filestat_t x, y;
  memset(&x, 0, sizeof x);
  memset(&y, 0xff, sizeof y);
  (void)__wasi_fd_filestat_get(a, &x);
  (void)__wasi_fd_filestat_get(b, &y);
  snprintf(name, sizeof name, "path_link/%s_same_dev", what);
  expect_u64(name, x.dev, y.dev);
  snprintf(name, sizeof name, "path_link/%s_same_ino", what);
  expect_u64(name, x.ino, y.ino);
  snprintf(name, sizeof name, "path_link/%s_same_mtim", what);
  expect_u64(name, x.mtim, y.mtim);
  snprintf(name, sizeof name, "path_link/%s_same_size", what);
  expect_u64(name, x.size, y.size);
  snprintf(name, sizeof name, "path_link/%s_nlink_2", what);
  expect_u64(name, 2, y.nlink);
  __wasi_fdstat_t s = fdstat_of(a), t = fdstat_of(b);
  snprintf(name, sizeof name, "path_link/%s_same_filetype", what);
  expect_u64(name, s.fs_filetype, t.fs_filetype);
  snprintf(name, sizeof name, "path_link/%s_same_rights", what);
  expect_u64(name, s.fs_rights_base, t.fs_rights_base);
}

static void path_link(__wasi_fd_t dir) {
  __wasi_fd_t file = open_rights(dir, "file", __WASI_OFLAGS_CREAT);
  if (!expect_true("path_link/create", file != NO_FD, "the file to be created")) return;
  EXPECT_OK("path_link/same_dir", __wasi_path_link(dir, 0, "file", dir, "link"));
  __wasi_fd_t link = open_rights(dir, "link", 0);
  if (expect_true("path_link/open_link", link != NO_FD, "the link to open")) {
    same_file("same_dir", file, link);
    (void)__wasi_fd_close(link);
  }
  EXPECT_OK("path_link/unlink_link", __wasi_path_unlink_file(dir, "link"));

  EXPECT_OK("path_link/mkdir_subdir", __wasi_path_create_directory(dir, "subdir"));
  __wasi_fd_t sub = open_rights(dir, "subdir", __WASI_OFLAGS_DIRECTORY);
  if (expect_true("path_link/open_subdir", sub != NO_FD, "the subdir to open")) {
    EXPECT_OK("path_link/into_subdir", __wasi_path_link(dir, 0, "file", sub, "link"));
    link = open_rights(sub, "link", 0);
    if (expect_true("path_link/open_sub_link", link != NO_FD, "the link to open")) {
      same_file("subdir", file, link);
      (void)__wasi_fd_close(link);
    }
    (void)__wasi_path_unlink_file(sub, "link");
    (void)__wasi_fd_close(sub);
  }
  (void)__wasi_fd_close(file);
  (void)__wasi_path_remove_directory(dir, "subdir");

  EXPECT_OK("path_link/create_existing", create_file(dir, "link"));
  EXPECT_ERRNO("path_link/onto_existing_file", __wasi_path_link(dir, 0, "file", dir, "link"), __WASI_ERRNO_EXIST);
  (void)__wasi_path_unlink_file(dir, "link");
  EXPECT_ERRNO("path_link/onto_itself", __wasi_path_link(dir, 0, "file", dir, "file"), __WASI_ERRNO_EXIST);
  EXPECT_OK("path_link/mkdir_target", __wasi_path_create_directory(dir, "link"));
  EXPECT_ERRNO("path_link/onto_dir", __wasi_path_link(dir, 0, "file", dir, "link"), __WASI_ERRNO_EXIST);
  (void)__wasi_path_remove_directory(dir, "link");
  EXPECT_OK("path_link/mkdir_source", __wasi_path_create_directory(dir, "subdir"));
  EXPECT_ERRNO("path_link/from_dir", __wasi_path_link(dir, 0, "subdir", dir, "link"), __WASI_ERRNO_PERM,
               __WASI_ERRNO_ACCES);
  (void)__wasi_path_remove_directory(dir, "subdir");
  EXPECT_ERRNO("path_link/target_trailing_slash", __wasi_path_link(dir, 0, "file", dir, "link/"),
               __WASI_ERRNO_NOENT);
  EXPECT_ERRNO("path_link/missing_source", __wasi_path_link(dir, 0, "missing", dir, "link"), __WASI_ERRNO_NOENT);

  if (__wasi_path_symlink("target", dir, "symlink") == 0) {
    EXPECT_OK("path_link/dangling_symlink_source", __wasi_path_link(dir, 0, "symlink", dir, "link"));
    __wasi_filestat_t st;
    if (EXPECT_OK("path_link/dangling_symlink_link_stat", __wasi_path_filestat_get(dir, 0, "link", &st)))
      expect_u64("path_link/link_to_symlink_is_symlink", __WASI_FILETYPE_SYMBOLIC_LINK, st.filetype);
    (void)__wasi_path_unlink_file(dir, "symlink");
    (void)__wasi_path_unlink_file(dir, "link");
    EXPECT_OK("path_link/loop_symlink", __wasi_path_symlink("symlink", dir, "symlink"));
    EXPECT_OK("path_link/loop_symlink_source", __wasi_path_link(dir, 0, "symlink", dir, "link"));
    (void)__wasi_path_unlink_file(dir, "symlink");
    (void)__wasi_path_unlink_file(dir, "link");
    EXPECT_OK("path_link/dangling_again", __wasi_path_symlink("target", dir, "symlink"));
    EXPECT_ERRNO("path_link/onto_dangling_symlink", __wasi_path_link(dir, 0, "file", dir, "symlink"),
                 __WASI_ERRNO_EXIST);
    EXPECT_ERRNO("path_link/follow_dangling",
                 __wasi_path_link(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "symlink", dir, "link"),
                 __WASI_ERRNO_INVAL, __WASI_ERRNO_NOENT);
    (void)__wasi_path_unlink_file(dir, "symlink");
    (void)__wasi_path_unlink_file(dir, "link");
  } else {
    fail("path_link/symlink_setup", "expected path_symlink to create a dangling symlink");
  }
  EXPECT_OK("path_link/cleanup", __wasi_path_unlink_file(dir, "file"));
}

int main(int argc, char **argv) {
  __wasi_fd_t scratch = scratch_from_args(argc, argv);
  if (scratch == NO_FD) return finish() | 1;
  __wasi_fd_t dir = make_tmp_dir(scratch, "rename_link_dir.cleanup");
  if (!expect_true("setup/tmp_dir", dir != NO_FD, "a tmp dir")) return finish();
  path_rename(dir);
  rename_trailing_slashes(dir);
  path_link(dir);
  (void)__wasi_fd_close(dir);
  EXPECT_OK("cleanup/rmdir", __wasi_path_remove_directory(scratch, "rename_link_dir.cleanup"));
  return finish();
}
