/*
 * Symbolic links (wasi-testsuite: symlink_create, symlink_loop, dangling_symlink,
 * nofollow_errors, readlink, path_symlink_trailing_slashes, symlink_filestat, path_exists)
 * plus the confinement rules a symlink must not break. argv[1] names the preopen.
 */
#include "p1_check.h"

#define FOLLOW __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW
#define DIRECTORY __WASI_OFLAGS_DIRECTORY

static __wasi_errno_t try_open(__wasi_fd_t dir, __wasi_lookupflags_t lf, const char *path, __wasi_oflags_t of) {
  __wasi_fd_t fd;
  __wasi_errno_t e = __wasi_path_open(dir, lf, path, of, 0, 0, 0, &fd);
  if (e == 0) (void)__wasi_fd_close(fd);
  return e;
}

static unsigned filetype(__wasi_fd_t dir, __wasi_lookupflags_t lf, const char *path) {
  __wasi_filestat_t st;
  if (__wasi_path_filestat_get(dir, lf, path, &st) != 0) return 0xff;
  return st.filetype;
}

static void symlink_create(__wasi_fd_t dir) {
  EXPECT_OK("symlink_create/file_target", create_file(dir, "target"));
  EXPECT_OK("symlink_create/to_file", __wasi_path_symlink("target", dir, "symlink"));
  EXPECT_OK("symlink_create/open_follow_file", try_open(dir, FOLLOW, "symlink", 0));
  EXPECT_OK("symlink_create/unlink_symlink", __wasi_path_unlink_file(dir, "symlink"));
  EXPECT_OK("symlink_create/unlink_target", __wasi_path_unlink_file(dir, "target"));
  EXPECT_OK("symlink_create/dir_target", __wasi_path_create_directory(dir, "target"));
  EXPECT_OK("symlink_create/to_dir", __wasi_path_symlink("target", dir, "symlink"));
  EXPECT_OK("symlink_create/open_follow_dir", try_open(dir, FOLLOW, "symlink", DIRECTORY));
  EXPECT_OK("symlink_create/unlink_dir_symlink", __wasi_path_unlink_file(dir, "symlink"));
  EXPECT_OK("symlink_create/rmdir_target", __wasi_path_remove_directory(dir, "target"));
  __wasi_errno_t e = __wasi_path_symlink("/", dir, "symlink");
  expect_true("symlink_create/absolute_target_refused", e != 0, "path_symlink(\"/\") to fail");
  if (e == 0) (void)__wasi_path_unlink_file(dir, "symlink");
}

static void loops_and_dangling(__wasi_fd_t dir) {
  if (EXPECT_OK("symlink_loop/create", __wasi_path_symlink("symlink", dir, "symlink"))) {
    EXPECT_ERRNO("symlink_loop/open_nofollow", try_open(dir, 0, "symlink", 0), __WASI_ERRNO_LOOP);
    EXPECT_ERRNO("symlink_loop/open_follow", try_open(dir, FOLLOW, "symlink", 0), __WASI_ERRNO_LOOP);
    EXPECT_ERRNO("symlink_loop/as_component", try_open(dir, 0, "symlink/file", 0), __WASI_ERRNO_LOOP);
    EXPECT_OK("symlink_loop/unlink", __wasi_path_unlink_file(dir, "symlink"));
  }
  if (EXPECT_OK("dangling_symlink/create", __wasi_path_symlink("target", dir, "dangling.cleanup"))) {
    EXPECT_ERRNO("dangling_symlink/open_directory_nofollow", try_open(dir, 0, "dangling.cleanup", DIRECTORY),
                 __WASI_ERRNO_NOTDIR, __WASI_ERRNO_LOOP);
    EXPECT_ERRNO("dangling_symlink/open_nofollow", try_open(dir, 0, "dangling.cleanup", 0), __WASI_ERRNO_LOOP);
    EXPECT_ERRNO("dangling_symlink/open_follow", try_open(dir, FOLLOW, "dangling.cleanup", 0), __WASI_ERRNO_NOENT);
    EXPECT_OK("dangling_symlink/unlink", __wasi_path_unlink_file(dir, "dangling.cleanup"));
  }
}

static void nofollow_errors(__wasi_fd_t dir) {
  EXPECT_OK("nofollow_errors/mkdir", __wasi_path_create_directory(dir, "target"));
  EXPECT_OK("nofollow_errors/symlink", __wasi_path_symlink("target", dir, "symlink"));
  EXPECT_ERRNO("nofollow_errors/dir_link_directory_nofollow", try_open(dir, 0, "symlink", DIRECTORY),
               __WASI_ERRNO_LOOP, __WASI_ERRNO_NOTDIR);
  EXPECT_ERRNO("nofollow_errors/dir_link_nofollow", try_open(dir, 0, "symlink", 0), __WASI_ERRNO_LOOP,
               __WASI_ERRNO_ACCES);
  EXPECT_OK("nofollow_errors/dir_link_follow", try_open(dir, FOLLOW, "symlink", DIRECTORY));
  EXPECT_OK("nofollow_errors/unlink_symlink", __wasi_path_unlink_file(dir, "symlink"));
  EXPECT_OK("nofollow_errors/rmdir", __wasi_path_remove_directory(dir, "target"));
  EXPECT_OK("nofollow_errors/create_file", create_file(dir, "target"));
  EXPECT_OK("nofollow_errors/symlink_to_file", __wasi_path_symlink("target", dir, "symlink"));
  EXPECT_ERRNO("nofollow_errors/file_link_directory_nofollow", try_open(dir, 0, "symlink", DIRECTORY),
               __WASI_ERRNO_LOOP, __WASI_ERRNO_NOTDIR);
  EXPECT_ERRNO("nofollow_errors/file_link_nofollow", try_open(dir, 0, "symlink", 0), __WASI_ERRNO_LOOP);
  EXPECT_ERRNO("nofollow_errors/file_link_directory_follow", try_open(dir, FOLLOW, "symlink", DIRECTORY),
               __WASI_ERRNO_NOTDIR);
  EXPECT_OK("nofollow_errors/unlink_target", __wasi_path_unlink_file(dir, "target"));
  EXPECT_OK("nofollow_errors/unlink_symlink2", __wasi_path_unlink_file(dir, "symlink"));
}

static void readlink(__wasi_fd_t dir) {
  EXPECT_OK("readlink/create", create_file(dir, "target"));
  EXPECT_OK("readlink/symlink", __wasi_path_symlink("target", dir, "symlink"));
  uint8_t buf[10];
  __wasi_size_t used = 0;
  memset(buf, 0, sizeof buf);
  if (EXPECT_OK("readlink/ok", __wasi_path_readlink(dir, "symlink", buf, sizeof buf, &used))) {
    expect_u64("readlink/bufused", 6, used);
    expect_true("readlink/contents", memcmp(buf, "target", 6) == 0, "the bytes \"target\"");
    static const uint8_t zeros[4];
    expect_true("readlink/rest_untouched", memcmp(buf + 6, zeros, 4) == 0, "no byte written after the target");
  }
  uint8_t small[4];
  if (EXPECT_OK("readlink/truncated_ok", __wasi_path_readlink(dir, "symlink", small, sizeof small, &used))) {
    expect_u64("readlink/truncated_bufused", 4, used);
    expect_true("readlink/truncated_contents", memcmp(small, "targ", 4) == 0, "the bytes \"targ\"");
  }
  EXPECT_ERRNO("readlink/not_a_symlink", __wasi_path_readlink(dir, "target", buf, sizeof buf, &used),
               __WASI_ERRNO_INVAL);
  EXPECT_ERRNO("readlink/missing", __wasi_path_readlink(dir, "missing", buf, sizeof buf, &used), __WASI_ERRNO_NOENT);
  (void)__wasi_path_unlink_file(dir, "target");
  (void)__wasi_path_unlink_file(dir, "symlink");
}

static void trailing_slashes(__wasi_fd_t dir) {
  EXPECT_ERRNO("path_symlink_trailing_slashes/dangling_slash", __wasi_path_symlink("source", dir, "target/"),
               __WASI_ERRNO_NOENT);
  if (EXPECT_OK("path_symlink_trailing_slashes/dangling", __wasi_path_symlink("source", dir, "target")))
    (void)__wasi_path_unlink_file(dir, "target");
  EXPECT_OK("path_symlink_trailing_slashes/mkdir", __wasi_path_create_directory(dir, "target"));
  EXPECT_ERRNO("path_symlink_trailing_slashes/over_dir_slash", __wasi_path_symlink("source", dir, "target/"),
               __WASI_ERRNO_EXIST, __WASI_ERRNO_NOENT);
  EXPECT_ERRNO("path_symlink_trailing_slashes/over_dir", __wasi_path_symlink("source", dir, "target"),
               __WASI_ERRNO_EXIST, __WASI_ERRNO_NOENT);
  (void)__wasi_path_remove_directory(dir, "target");
  EXPECT_OK("path_symlink_trailing_slashes/create", create_file(dir, "target"));
  EXPECT_ERRNO("path_symlink_trailing_slashes/over_file_slash", __wasi_path_symlink("source", dir, "target/"),
               __WASI_ERRNO_NOTDIR, __WASI_ERRNO_NOENT, __WASI_ERRNO_EXIST);
  EXPECT_ERRNO("path_symlink_trailing_slashes/over_file", __wasi_path_symlink("source", dir, "target"),
               __WASI_ERRNO_EXIST, __WASI_ERRNO_NOENT);
  (void)__wasi_path_unlink_file(dir, "target");
}

static void symlink_filestat(__wasi_fd_t dir) {
  __wasi_filestat_t file, sym, st;
  EXPECT_OK("symlink_filestat/create", create_file(dir, "file"));
  if (!EXPECT_OK("symlink_filestat/stat_file", __wasi_path_filestat_get(dir, 0, "file", &file))) return;
  EXPECT_OK("symlink_filestat/symlink", __wasi_path_symlink("file", dir, "symlink"));
  if (!EXPECT_OK("symlink_filestat/lstat", __wasi_path_filestat_get(dir, 0, "symlink", &sym))) return;
  expect_u64("symlink_filestat/lstat_type", __WASI_FILETYPE_SYMBOLIC_LINK, sym.filetype);
  __wasi_timestamp_t sym_mtim = sym.mtim - 200;
  EXPECT_OK("symlink_filestat/set_symlink_mtim",
            __wasi_path_filestat_set_times(dir, 0, "symlink", 0, sym_mtim, __WASI_FSTFLAGS_MTIM));
  if (EXPECT_OK("symlink_filestat/lstat2", __wasi_path_filestat_get(dir, 0, "symlink", &st)))
    expect_u64("symlink_filestat/symlink_mtim_changed", sym_mtim, st.mtim);
  if (EXPECT_OK("symlink_filestat/stat_file2", __wasi_path_filestat_get(dir, 0, "file", &st)))
    expect_u64("symlink_filestat/file_mtim_untouched", file.mtim, st.mtim);
  if (EXPECT_OK("symlink_filestat/stat_follow", __wasi_path_filestat_get(dir, FOLLOW, "symlink", &st))) {
    expect_u64("symlink_filestat/follow_sees_file_mtim", file.mtim, st.mtim);
    expect_u64("symlink_filestat/follow_sees_file_ino", file.ino, st.ino);
  }
  EXPECT_OK("symlink_filestat/set_through_link",
            __wasi_path_filestat_set_times(dir, FOLLOW, "symlink", 0, sym.mtim, __WASI_FSTFLAGS_MTIM));
  if (EXPECT_OK("symlink_filestat/stat_file3", __wasi_path_filestat_get(dir, 0, "file", &st)))
    expect_u64("symlink_filestat/file_mtim_set_through_link", sym.mtim, st.mtim);
  (void)__wasi_path_unlink_file(dir, "symlink");
  (void)__wasi_path_unlink_file(dir, "file");
}

static void path_exists(__wasi_fd_t dir) {
  EXPECT_OK("path_exists/mkdir", __wasi_path_create_directory(dir, "subdir"));
  expect_u64("path_exists/dir", __WASI_FILETYPE_DIRECTORY, filetype(dir, 0, "subdir"));
  expect_u64("path_exists/dir_follow", __WASI_FILETYPE_DIRECTORY, filetype(dir, FOLLOW, "subdir"));
  EXPECT_OK("path_exists/create", create_file(dir, "subdir/file"));
  expect_u64("path_exists/file", __WASI_FILETYPE_REGULAR_FILE, filetype(dir, 0, "subdir/file"));
  expect_u64("path_exists/file_follow", __WASI_FILETYPE_REGULAR_FILE, filetype(dir, FOLLOW, "subdir/file"));
  EXPECT_OK("path_exists/link1", __wasi_path_symlink("subdir/file", dir, "link1"));
  expect_u64("path_exists/link1_nofollow", __WASI_FILETYPE_SYMBOLIC_LINK, filetype(dir, 0, "link1"));
  expect_u64("path_exists/link1_follow", __WASI_FILETYPE_REGULAR_FILE, filetype(dir, FOLLOW, "link1"));
  EXPECT_OK("path_exists/link2", __wasi_path_symlink("subdir", dir, "link2"));
  expect_u64("path_exists/link2_nofollow", __WASI_FILETYPE_SYMBOLIC_LINK, filetype(dir, 0, "link2"));
  expect_u64("path_exists/link2_follow", __WASI_FILETYPE_DIRECTORY, filetype(dir, FOLLOW, "link2"));
  expect_u64("symlink_component/followed_inside_path", __WASI_FILETYPE_REGULAR_FILE,
             filetype(dir, 0, "link2/file"));
  (void)__wasi_path_unlink_file(dir, "link1");
  (void)__wasi_path_unlink_file(dir, "link2");
  (void)__wasi_path_unlink_file(dir, "subdir/file");
  (void)__wasi_path_remove_directory(dir, "subdir");
}

/*
 * A symlink may point anywhere; following it must still stay inside the preopen. The target is
 * "..", i.e. the runner's per-run temp dir, so a host that does escape only touches that.
 */
static void confinement(__wasi_fd_t pre) {
  __wasi_fd_t fd;
  __wasi_filestat_t st;
  if (__wasi_path_symlink("..", pre, "escape.cleanup") != 0) {
    ok("symlink_confinement/relative_escape_refused_at_creation");
    return;
  }
  EXPECT_ERRNO("symlink_confinement/open_through_escape",
               __wasi_path_open(pre, FOLLOW, "escape.cleanup", DIRECTORY, 0, 0, 0, &fd),
               __WASI_ERRNO_PERM, __WASI_ERRNO_NOTCAPABLE);
  EXPECT_ERRNO("symlink_confinement/stat_through_escape",
               __wasi_path_filestat_get(pre, 0, "escape.cleanup/.", &st),
               __WASI_ERRNO_PERM, __WASI_ERRNO_NOTCAPABLE);
  EXPECT_ERRNO("symlink_confinement/mkdir_through_escape",
               __wasi_path_create_directory(pre, "escape.cleanup/escaped.cleanup"),
               __WASI_ERRNO_PERM, __WASI_ERRNO_NOTCAPABLE);
  expect_u64("symlink_confinement/lstat_still_works", __WASI_FILETYPE_SYMBOLIC_LINK,
             filetype(pre, 0, "escape.cleanup"));
  EXPECT_OK("symlink_confinement/unlink", __wasi_path_unlink_file(pre, "escape.cleanup"));
}

int main(int argc, char **argv) {
  __wasi_fd_t scratch = scratch_from_args(argc, argv);
  if (scratch == NO_FD) return finish() | 1;
  __wasi_fd_t dir = make_tmp_dir(scratch, "symlinks_dir.cleanup");
  if (!expect_true("setup/tmp_dir", dir != NO_FD, "a tmp dir")) return finish();
  symlink_create(dir);
  loops_and_dangling(dir);
  nofollow_errors(dir);
  readlink(dir);
  trailing_slashes(dir);
  symlink_filestat(dir);
  path_exists(dir);
  confinement(find_preopen(argv[1]));
  (void)__wasi_fd_close(dir);
  EXPECT_OK("cleanup/rmdir", __wasi_path_remove_directory(scratch, "symlinks_dir.cleanup"));
  return finish();
}
