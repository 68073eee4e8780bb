/*
 * Rights, open flags and what a directory fd refuses (wasi-testsuite: path_open_preopen,
 * dir_fd_op_failures, directory_seek, path_open_nonblock, path_open_missing,
 * path_open_create_existing, path_open_dirfd_not_dir, path_open_read_write, truncation_rights,
 * fd_fdstat_set_rights). argv[1] names the preopen.
 */
#include "p1_check.h"

#define R(x) __WASI_RIGHTS_##x
#define PREOPEN_BASE                                                                          \
  (R(PATH_CREATE_DIRECTORY) | R(PATH_CREATE_FILE) | R(PATH_LINK_SOURCE) | R(PATH_LINK_TARGET) | \
   R(PATH_OPEN) | R(FD_READDIR) | R(PATH_READLINK) | R(PATH_RENAME_SOURCE) |                    \
   R(PATH_RENAME_TARGET) | R(PATH_SYMLINK) | R(PATH_REMOVE_DIRECTORY) | R(PATH_UNLINK_FILE) |   \
   R(PATH_FILESTAT_GET) | R(PATH_FILESTAT_SET_TIMES) | R(FD_FILESTAT_GET) |                     \
   R(FD_FILESTAT_SET_TIMES))
#define PREOPEN_INHERITING                                                                   \
  (PREOPEN_BASE | R(FD_DATASYNC) | R(FD_READ) | R(FD_SEEK) | R(FD_FDSTAT_SET_FLAGS) |          \
   R(FD_SYNC) | R(FD_TELL) | R(FD_WRITE) | R(FD_ADVISE) | R(FD_ALLOCATE) | R(FD_FILESTAT_GET) | \
   R(FD_FILESTAT_SET_SIZE) | R(FD_FILESTAT_SET_TIMES) | R(POLL_FD_READWRITE))

static void has_rights(const char *name, __wasi_rights_t want, __wasi_rights_t got) {
  __wasi_rights_t missing = want & ~got;
  if (!missing) ok(name);
  else fail(name, "expected rights 0x%llx got 0x%llx (missing 0x%llx)", (unsigned long long)want,
            (unsigned long long)got, (unsigned long long)missing);
}

static void open_close(const char *name, __wasi_fd_t dir, const char *path, __wasi_oflags_t of,
                       __wasi_rights_t base, __wasi_rights_t inh, __wasi_fdflags_t ff) {
  __wasi_fd_t fd;
  if (EXPECT_OK(name, __wasi_path_open(dir, 0, path, of, base, inh, ff, &fd))) (void)__wasi_fd_close(fd);
}

static void path_open_preopen(__wasi_fd_t pre) {
  __wasi_prestat_t ps;
  if (EXPECT_OK("path_open_preopen/prestat", __wasi_fd_prestat_get(pre, &ps)))
    expect_u64("path_open_preopen/prestat_dir", __WASI_PREOPENTYPE_DIR, ps.tag);
  __wasi_fdstat_t st = fdstat_of(pre);
  expect_u64("path_open_preopen/filetype", __WASI_FILETYPE_DIRECTORY, st.fs_filetype);
  has_rights("path_open_preopen/base_rights", PREOPEN_BASE, st.fs_rights_base);
  has_rights("path_open_preopen/inheriting_rights", PREOPEN_INHERITING, st.fs_rights_inheriting);
  open_close("path_open_preopen/same_rights", pre, ".", 0, st.fs_rights_base,
             st.fs_rights_inheriting, 0);
  open_close("path_open_preopen/no_rights", pre, ".", 0, 0, 0, 0);
  open_close("path_open_preopen/directory_no_rights", pre, ".", __WASI_OFLAGS_DIRECTORY, 0, 0, 0);
  open_close("path_open_preopen/directory_read", pre, ".", __WASI_OFLAGS_DIRECTORY, R(FD_READ), 0, 0);
  __wasi_fd_t fd;
  EXPECT_ERRNO("path_open_preopen/directory_read_write_isdir",
               __wasi_path_open(pre, 0, ".", __WASI_OFLAGS_DIRECTORY, R(FD_READ) | R(FD_WRITE), 0, 0, &fd),
               __WASI_ERRNO_ISDIR);
}

#define DIR_REFUSES(name, call) \
  EXPECT_ERRNO(name, call, __WASI_ERRNO_ISDIR, __WASI_ERRNO_BADF, __WASI_ERRNO_NOTCAPABLE)

static void dir_fd_op_failures(__wasi_fd_t pre, __wasi_fd_t dir) {
  __wasi_filestat_t fs;
  if (EXPECT_OK("dir_fd_op_failures/filestat", __wasi_fd_filestat_get(dir, &fs)))
    expect_u64("dir_fd_op_failures/filetype", __WASI_FILETYPE_DIRECTORY, fs.filetype);
  __wasi_prestat_t ps;
  uint8_t name[300];
  if (__wasi_fd_prestat_get(pre, &ps) == 0 && ps.u.dir.pr_name_len < 290) {
    EXPECT_ERRNO("dir_fd_op_failures/prestat_dir_name_too_small",
                 __wasi_fd_prestat_dir_name(pre, name, 0), __WASI_ERRNO_INVAL,
                 __WASI_ERRNO_NAMETOOLONG);
    EXPECT_OK("dir_fd_op_failures/prestat_dir_name_larger_buffer",
              __wasi_fd_prestat_dir_name(pre, name, ps.u.dir.pr_name_len + 1));
  }
  uint8_t buf[128];
  __wasi_iovec_t iov = {buf, sizeof buf};
  __wasi_ciovec_t ciov = {buf, sizeof buf};
  __wasi_size_t n;
  __wasi_filesize_t pos;
  DIR_REFUSES("dir_fd_op_failures/read", __wasi_fd_read(dir, &iov, 1, &n));
  DIR_REFUSES("dir_fd_op_failures/pread", __wasi_fd_pread(dir, &iov, 1, 0, &n));
  DIR_REFUSES("dir_fd_op_failures/write", __wasi_fd_write(dir, &ciov, 1, &n));
  DIR_REFUSES("dir_fd_op_failures/pwrite", __wasi_fd_pwrite(dir, &ciov, 1, 0, &n));
  DIR_REFUSES("dir_fd_op_failures/seek_cur", __wasi_fd_seek(dir, 0, __WASI_WHENCE_CUR, &pos));
  DIR_REFUSES("dir_fd_op_failures/seek_set", __wasi_fd_seek(dir, 0, __WASI_WHENCE_SET, &pos));
  DIR_REFUSES("dir_fd_op_failures/seek_end", __wasi_fd_seek(dir, 0, __WASI_WHENCE_END, &pos));
  DIR_REFUSES("dir_fd_op_failures/tell", __wasi_fd_tell(dir, &pos));
  DIR_REFUSES("dir_fd_op_failures/allocate", __wasi_fd_allocate(dir, 0, 1));
  EXPECT_ERRNO("dir_fd_op_failures/set_size", __wasi_fd_filestat_set_size(dir, 0),
               __WASI_ERRNO_ISDIR, __WASI_ERRNO_INVAL, __WASI_ERRNO_BADF, __WASI_ERRNO_NOTCAPABLE);
}

static void directory_seek(__wasi_fd_t dir) {
  __wasi_fd_t fd;
  if (!EXPECT_OK("directory_seek/mkdir", __wasi_path_create_directory(dir, "seekdir"))) return;
  if (EXPECT_OK("directory_seek/open_with_seek_right",
                __wasi_path_open(dir, 0, "seekdir", __WASI_OFLAGS_DIRECTORY, R(FD_SEEK), 0, 0, &fd))) {
    __wasi_filesize_t pos;
    EXPECT_ERRNO("directory_seek/seek_refused", __wasi_fd_seek(fd, 0, __WASI_WHENCE_CUR, &pos),
                 __WASI_ERRNO_ISDIR, __WASI_ERRNO_NOTCAPABLE, __WASI_ERRNO_BADF);
    __wasi_fdstat_t st = fdstat_of(fd);
    expect_u64("directory_seek/filetype", __WASI_FILETYPE_DIRECTORY, st.fs_filetype);
    expect_u64("directory_seek/no_seek_right", 0, st.fs_rights_base & R(FD_SEEK));
    (void)__wasi_fd_close(fd);
  }
  (void)__wasi_path_remove_directory(dir, "seekdir");
}

static void simple_opens(__wasi_fd_t dir) {
  __wasi_fd_t fd;
  open_close("path_open_nonblock/dot", dir, ".", 0, 0, 0, __WASI_FDFLAGS_NONBLOCK);
  EXPECT_ERRNO("path_open_missing/noent", __wasi_path_open(dir, 0, "missing", 0, 0, 0, 0, &fd),
               __WASI_ERRNO_NOENT);
  if (EXPECT_OK("path_open_create_existing/create", create_file(dir, "file")))
    EXPECT_ERRNO("path_open_create_existing/exist",
                 __wasi_path_open(dir, 0, "file", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, 0, 0, 0, &fd),
                 __WASI_ERRNO_EXIST);
  __wasi_fd_t file;
  if (EXPECT_OK("path_open_dirfd_not_dir/open", __wasi_path_open(dir, 0, "file", 0, 0, 0, 0, &file))) {
    EXPECT_ERRNO("path_open_dirfd_not_dir/notdir",
                 __wasi_path_open(file, 0, "foo", __WASI_OFLAGS_CREAT, 0, 0, 0, &fd),
                 __WASI_ERRNO_NOTDIR, __WASI_ERRNO_NOTCAPABLE);
    (void)__wasi_fd_close(file);
  }
  (void)__wasi_path_unlink_file(dir, "file");
}

static void path_open_read_write(__wasi_fd_t dir) {
  uint8_t buf[100], fifty[50], twentyfive[25];
  memset(fifty, 1, sizeof fifty);
  memset(twentyfive, 2, sizeof twentyfive);
  size_t n;
  __wasi_fd_t fd;
  if (!EXPECT_OK("path_open_read_write/create", create_file(dir, "file.cleanup"))) return;
  if (EXPECT_OK("path_open_read_write/open_read",
                __wasi_path_open(dir, 0, "file.cleanup", 0, R(FD_READ), 0, 0, &fd))) {
    __wasi_fdstat_t st = fdstat_of(fd);
    expect_true("path_open_read_write/read_has_read", (st.fs_rights_base & R(FD_READ)) != 0, "FD_READ");
    expect_u64("path_open_read_write/read_lacks_write", 0, st.fs_rights_base & R(FD_WRITE));
    if (EXPECT_OK("path_open_read_write/read_empty", read_into(fd, buf, sizeof buf, &n)))
      expect_u64("path_open_read_write/read_empty_count", 0, n);
    EXPECT_ERRNO("path_open_read_write/write_refused", write_all(fd, fifty, sizeof fifty, &n),
                 __WASI_ERRNO_BADF, __WASI_ERRNO_NOTCAPABLE, __WASI_ERRNO_ACCES);
    (void)__wasi_fd_close(fd);
  }
  if (EXPECT_OK("path_open_read_write/open_write",
                __wasi_path_open(dir, 0, "file.cleanup", 0, R(FD_WRITE), 0, 0, &fd))) {
    __wasi_fdstat_t st = fdstat_of(fd);
    expect_u64("path_open_read_write/write_lacks_read", 0, st.fs_rights_base & R(FD_READ));
    expect_true("path_open_read_write/write_has_write", (st.fs_rights_base & R(FD_WRITE)) != 0, "FD_WRITE");
    EXPECT_ERRNO("path_open_read_write/read_refused", read_into(fd, buf, sizeof buf, &n),
                 __WASI_ERRNO_BADF, __WASI_ERRNO_NOTCAPABLE, __WASI_ERRNO_ACCES);
    if (EXPECT_OK("path_open_read_write/write", write_all(fd, fifty, sizeof fifty, &n)))
      expect_u64("path_open_read_write/write_count", 50, n);
    (void)__wasi_fd_close(fd);
  }
  if (EXPECT_OK("path_open_read_write/open_read_write",
                __wasi_path_open(dir, 0, "file.cleanup", 0,
                                 R(FD_READ) | R(FD_WRITE) | R(FD_FILESTAT_GET), 0, 0, &fd))) {
    __wasi_fdstat_t st = fdstat_of(fd);
    expect_true("path_open_read_write/rw_rights",
                (st.fs_rights_base & (R(FD_READ) | R(FD_WRITE))) == (R(FD_READ) | R(FD_WRITE)),
                "FD_READ and FD_WRITE");
    if (EXPECT_OK("path_open_read_write/rw_read", read_into(fd, buf, sizeof buf, &n)))
      expect_u64("path_open_read_write/rw_read_count", 50, n);
    if (EXPECT_OK("path_open_read_write/rw_write", write_all(fd, twentyfive, sizeof twentyfive, &n)))
      expect_u64("path_open_read_write/rw_write_count", 25, n);
    __wasi_filestat_t fs;
    if (EXPECT_OK("path_open_read_write/rw_filestat", __wasi_fd_filestat_get(fd, &fs)))
      expect_u64("path_open_read_write/rw_size", 75, fs.size);
    (void)__wasi_fd_close(fd);
  }
  (void)__wasi_path_unlink_file(dir, "file.cleanup");
}

static void fd_fdstat_set_rights(__wasi_fd_t dir) {
  __wasi_fdstat_t dst = fdstat_of(dir);
  __wasi_errno_t same = __wasi_fd_fdstat_set_rights(dir, dst.fs_rights_base, dst.fs_rights_inheriting);
  if (same == __WASI_ERRNO_NOTSUP) {
    ok("fd_fdstat_set_rights/unsupported_skipped");
    return;
  }
  EXPECT_OK("fd_fdstat_set_rights/same_rights_noop", same);
  __wasi_rights_t rw = R(FD_READ) | R(FD_WRITE);
  __wasi_fd_t fd;
  if (!EXPECT_OK("fd_fdstat_set_rights/create",
                 __wasi_path_open(dir, 0, "file.cleanup", __WASI_OFLAGS_CREAT,
                                  rw | R(FD_SEEK) | R(FD_TELL), 0, 0, &fd)))
    return;
  uint8_t data[4] = {0, 1, 2, 3}, back[4] = {9, 9, 9, 9};
  size_t n;
  __wasi_filesize_t pos;
  EXPECT_OK("fd_fdstat_set_rights/write", write_all(fd, data, 4, &n));
  EXPECT_OK("fd_fdstat_set_rights/seek", __wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos));
  if (EXPECT_OK("fd_fdstat_set_rights/read", read_into(fd, back, 4, &n)))
    expect_true("fd_fdstat_set_rights/read_back", n == 4 && memcmp(data, back, 4) == 0, "the 4 bytes written");
  __wasi_fdstat_t st = fdstat_of(fd);
  EXPECT_OK("fd_fdstat_set_rights/drop",
            __wasi_fd_fdstat_set_rights(fd, st.fs_rights_base & ~rw, st.fs_rights_inheriting));
  st = fdstat_of(fd);
  expect_u64("fd_fdstat_set_rights/dropped", 0, st.fs_rights_base & rw);
  expect_true("fd_fdstat_set_rights/kept_seek", (st.fs_rights_base & R(FD_SEEK)) != 0, "FD_SEEK kept");
  EXPECT_ERRNO("fd_fdstat_set_rights/read_refused", read_into(fd, back, 4, &n),
               __WASI_ERRNO_BADF, __WASI_ERRNO_NOTCAPABLE);
  EXPECT_ERRNO("fd_fdstat_set_rights/write_refused", write_all(fd, data, 4, &n),
               __WASI_ERRNO_BADF, __WASI_ERRNO_NOTCAPABLE);
  __wasi_rights_t more = rw | R(FD_SEEK) | R(FD_TELL);
  EXPECT_ERRNO("fd_fdstat_set_rights/regrant_refused",
               __wasi_fd_fdstat_set_rights(fd, st.fs_rights_base | more, st.fs_rights_inheriting | more),
               __WASI_ERRNO_NOTCAPABLE);
  (void)__wasi_fd_close(fd);
  (void)__wasi_path_unlink_file(dir, "file.cleanup");
}

static void truncation_rights(__wasi_fd_t dir) {
  if (!EXPECT_OK("truncation_rights/create", create_file(dir, "file"))) return;
  __wasi_fdstat_t st = fdstat_of(dir);
  expect_u64("truncation_rights/dir_filetype", __WASI_FILETYPE_DIRECTORY, st.fs_filetype);
  expect_u64("truncation_rights/dir_no_flags", 0, st.fs_flags);
  expect_u64("truncation_rights/dir_lacks_fd_set_size", 0, st.fs_rights_base & R(FD_FILESTAT_SET_SIZE));
  __wasi_fd_t fd;
  if ((st.fs_rights_base & R(PATH_FILESTAT_SET_SIZE)) == 0) {
    ok("truncation_rights/no_path_set_size_skipped");
  } else {
    open_close("truncation_rights/trunc", dir, "file", __WASI_OFLAGS_TRUNC, 0, 0, 0);
    __wasi_rights_t base = st.fs_rights_base, inh = st.fs_rights_inheriting;
    if (inh & R(FD_FILESTAT_SET_SIZE)) {
      inh &= ~R(FD_FILESTAT_SET_SIZE);
      EXPECT_OK("truncation_rights/drop_inheriting_set_size", __wasi_fd_fdstat_set_rights(dir, base, inh));
    }
    open_close("truncation_rights/trunc_without_fd_set_size", dir, "file", __WASI_OFLAGS_TRUNC, 0, 0, 0);
    base &= ~R(PATH_FILESTAT_SET_SIZE);
    EXPECT_OK("truncation_rights/drop_path_set_size", __wasi_fd_fdstat_set_rights(dir, base, inh));
    expect_u64("truncation_rights/dropped", 0, fdstat_of(dir).fs_rights_base & R(PATH_FILESTAT_SET_SIZE));
    EXPECT_ERRNO("truncation_rights/trunc_refused",
                 __wasi_path_open(dir, 0, "file", __WASI_OFLAGS_TRUNC, 0, 0, 0, &fd),
                 __WASI_ERRNO_PERM, __WASI_ERRNO_NOTCAPABLE);
  }
  EXPECT_OK("truncation_rights/unlink", __wasi_path_unlink_file(dir, "file"));
}

int main(int argc, char **argv) {
  __wasi_fd_t scratch = scratch_from_args(argc, argv);
  if (scratch == NO_FD) return finish() | 1;
  __wasi_fd_t pre = find_preopen(argv[1]);
  path_open_preopen(pre);
  dir_fd_op_failures(pre, scratch);

  __wasi_fd_t dir = make_tmp_dir(scratch, "rights_dir.cleanup");
  if (!expect_true("setup/tmp_dir", dir != NO_FD, "a tmp dir")) return finish();
  directory_seek(dir);
  simple_opens(dir);
  path_open_read_write(dir);
  fd_fdstat_set_rights(dir);
  truncation_rights(dir); /* last: it takes rights away from dir */
  (void)__wasi_fd_close(dir);
  EXPECT_OK("cleanup/rmdir", __wasi_path_remove_directory(scratch, "rights_dir.cleanup"));
  return finish();
}
