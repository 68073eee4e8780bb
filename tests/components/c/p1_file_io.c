/*
 * File data operations (wasi-testsuite: fd_advise, file_allocate, fd_filestat_set (sizes),
 * fd_flags_set, file_pread_pwrite, file_seek_tell, file_truncation, file_unbuffered_write,
 * dangling_fd). argv[1] names the preopen.
 */
#include "p1_check.h"

#define R(x) __WASI_RIGHTS_##x

static __wasi_filesize_t size_of(__wasi_fd_t fd) {
  __wasi_filestat_t st;
  if (__wasi_fd_filestat_get(fd, &st) != 0) return (__wasi_filesize_t)-1;
  return st.size;
}

static void fd_advise(__wasi_fd_t dir) {
  __wasi_fd_t fd;
  if (!EXPECT_OK("fd_advise/create",
                 __wasi_path_open(dir, 0, "advise.cleanup", __WASI_OFLAGS_CREAT,
                                  R(FD_READ) | R(FD_WRITE) | R(FD_ADVISE) | R(FD_FILESTAT_GET) |
                                      R(FD_FILESTAT_SET_SIZE) | R(FD_ALLOCATE),
                                  0, 0, &fd)))
    return;
  expect_u64("fd_advise/empty", 0, size_of(fd));
  EXPECT_OK("fd_advise/set_size", __wasi_fd_filestat_set_size(fd, 100));
  expect_u64("fd_advise/size_100", 100, size_of(fd));
  EXPECT_OK("fd_advise/advise", __wasi_fd_advise(fd, 10, 50, __WASI_ADVICE_NORMAL));
  expect_u64("fd_advise/size_unchanged", 100, size_of(fd));
  __wasi_errno_t e = __wasi_fd_allocate(fd, 100, 100);
  if (e == __WASI_ERRNO_NOTSUP) ok("fd_advise/allocate_notsup");
  else if (EXPECT_OK("fd_advise/allocate", e)) expect_u64("fd_advise/allocate_grows", 200, size_of(fd));
  (void)__wasi_fd_close(fd);
  (void)__wasi_path_unlink_file(dir, "advise.cleanup");
}

static void file_allocate(__wasi_fd_t dir) {
  __wasi_fd_t fd;
  if (!EXPECT_OK("file_allocate/create",
                 __wasi_path_open(dir, 0, "allocate.cleanup", __WASI_OFLAGS_CREAT,
                                  R(FD_READ) | R(FD_WRITE) | R(FD_ALLOCATE) | R(FD_FILESTAT_GET), 0, 0, &fd)))
    return;
  expect_u64("file_allocate/empty", 0, size_of(fd));
  __wasi_errno_t e = __wasi_fd_allocate(fd, 0, 100);
  if (e == __WASI_ERRNO_NOTSUP) {
    ok("file_allocate/notsup");
  } else if (EXPECT_OK("file_allocate/grow", e)) {
    expect_u64("file_allocate/size_100", 100, size_of(fd));
    EXPECT_OK("file_allocate/inside", __wasi_fd_allocate(fd, 10, 10));
    expect_u64("file_allocate/inside_keeps_size", 100, size_of(fd));
    EXPECT_OK("file_allocate/overlap", __wasi_fd_allocate(fd, 90, 20));
    expect_u64("file_allocate/overlap_grows", 110, size_of(fd));
  }
  (void)__wasi_fd_close(fd);
  (void)__wasi_path_unlink_file(dir, "allocate.cleanup");
}

static int write_n(__wasi_fd_t fd, uint8_t byte, size_t count) {
  uint8_t buf[100];
  size_t n = 0;
  memset(buf, byte, sizeof buf);
  return write_all(fd, buf, count, &n) == 0 && n == count;
}

static int read_is(__wasi_fd_t fd, uint8_t byte, size_t count) {
  uint8_t buf[100];
  size_t n = 0;
  if (read_into(fd, buf, count, &n) != 0 || n != count) return 0;
  for (size_t i = 0; i < count; i++)
    if (buf[i] != byte) return 0;
  return 1;
}

static void fd_flags_set(__wasi_fd_t dir) {
  __wasi_fd_t fd;
  __wasi_filesize_t pos;
  if (!EXPECT_OK("fd_flags_set/open_append",
                 __wasi_path_open(dir, 0, "flags.cleanup", __WASI_OFLAGS_CREAT,
                                  R(FD_READ) | R(FD_WRITE) | R(FD_SEEK) | R(FD_TELL) | R(FD_FDSTAT_SET_FLAGS),
                                  0, __WASI_FDFLAGS_APPEND, &fd)))
    return;
  expect_true("fd_flags_set/write_zeros", write_n(fd, 0, 100), "100 bytes written");
  (void)__wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos);
  expect_true("fd_flags_set/read_zeros", read_is(fd, 0, 100), "100 zero bytes read");
  (void)__wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos);
  expect_true("fd_flags_set/append_write", write_n(fd, 1, 100), "100 bytes written");
  (void)__wasi_fd_seek(fd, 100, __WASI_WHENCE_SET, &pos);
  expect_true("fd_flags_set/appended_at_end", read_is(fd, 1, 100), "the second write at offset 100");
  EXPECT_OK("fd_flags_set/clear_append", __wasi_fd_fdstat_set_flags(fd, 0));
  expect_u64("fd_flags_set/flags_cleared", 0, fdstat_of(fd).fs_flags & __WASI_FDFLAGS_APPEND);
  (void)__wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos);
  expect_true("fd_flags_set/overwrite", write_n(fd, 2, 100), "100 bytes written");
  (void)__wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos);
  expect_true("fd_flags_set/overwritten_at_start", read_is(fd, 2, 100), "the third write at offset 0");
  (void)__wasi_fd_close(fd);
  __wasi_filestat_t st;
  if (EXPECT_OK("fd_flags_set/stat", __wasi_path_filestat_get(dir, 0, "flags.cleanup", &st)))
    expect_u64("fd_flags_set/size_200", 200, st.size);
  (void)__wasi_path_unlink_file(dir, "flags.cleanup");
}

static void file_pread_pwrite(__wasi_fd_t dir) {
  __wasi_fd_t fd;
  if (!EXPECT_OK("file_pread_pwrite/create",
                 __wasi_path_open(dir, 0, "prw.cleanup", __WASI_OFLAGS_CREAT,
                                  R(FD_READ) | R(FD_SEEK) | R(FD_WRITE) | R(FD_TELL), 0, 0, &fd)))
    return;
  uint8_t data[4] = {0, 1, 2, 3}, got[4];
  __wasi_ciovec_t c1 = {data, 4};
  __wasi_size_t n = 0;
  if (EXPECT_OK("file_pread_pwrite/pwrite", __wasi_fd_pwrite(fd, &c1, 1, 0, &n)))
    expect_u64("file_pread_pwrite/pwrite_count", 4, n);
  memset(got, 9, 4);
  __wasi_iovec_t i1 = {got, 4};
  if (EXPECT_OK("file_pread_pwrite/pread", __wasi_fd_pread(fd, &i1, 1, 0, &n)))
    expect_true("file_pread_pwrite/pread_data", n == 4 && memcmp(got, data, 4) == 0, "[0,1,2,3]");
  __wasi_ciovec_t c2[2] = {{data, 2}, {data + 2, 2}};
  if (EXPECT_OK("file_pread_pwrite/pwrite_two_iovecs", __wasi_fd_pwrite(fd, c2, 2, 0, &n)))
    expect_true("file_pread_pwrite/pwrite_two_iovecs_count", n >= 2 && n <= 4, "2 to 4 bytes");
  memset(got, 9, 4);
  __wasi_iovec_t i2[2] = {{got, 2}, {got + 2, 2}};
  if (EXPECT_OK("file_pread_pwrite/pread_two_iovecs", __wasi_fd_pread(fd, i2, 2, 0, &n)))
    expect_true("file_pread_pwrite/pread_two_iovecs_data", n >= 2 && memcmp(got, data, n) == 0,
                "the first bytes of [0,1,2,3]");
  memset(got, 0, 4);
  if (EXPECT_OK("file_pread_pwrite/pread_short", __wasi_fd_pread(fd, &i1, 1, 2, &n)))
    expect_true("file_pread_pwrite/pread_short_data", n == 2 && got[0] == 2 && got[1] == 3 && got[2] == 0,
                "2 bytes [2,3] and the rest untouched");
  if (EXPECT_OK("file_pread_pwrite/pread_at_eof", __wasi_fd_pread(fd, &i1, 1, 4, &n)))
    expect_u64("file_pread_pwrite/pread_at_eof_count", 0, n);
  uint8_t patch[2] = {1, 0};
  __wasi_ciovec_t c3 = {patch, 2};
  if (EXPECT_OK("file_pread_pwrite/pwrite_middle", __wasi_fd_pwrite(fd, &c3, 1, 2, &n)))
    expect_u64("file_pread_pwrite/pwrite_middle_count", 2, n);
  memset(got, 9, 4);
  uint8_t want[4] = {0, 1, 1, 0};
  if (EXPECT_OK("file_pread_pwrite/pread_all", __wasi_fd_pread(fd, &i1, 1, 0, &n)))
    expect_true("file_pread_pwrite/pread_all_data", n == 4 && memcmp(got, want, 4) == 0, "[0,1,1,0]");
  __wasi_filesize_t pos = 99;
  if (EXPECT_OK("file_pread_pwrite/tell", __wasi_fd_tell(fd, &pos)))
    expect_u64("file_pread_pwrite/cursor_untouched", 0, pos);
  (void)__wasi_fd_close(fd);
  (void)__wasi_path_unlink_file(dir, "prw.cleanup");
}

static void file_seek_tell(__wasi_fd_t dir) {
  __wasi_fd_t fd;
  __wasi_filesize_t pos = 99;
  if (!EXPECT_OK("file_seek_tell/create",
                 __wasi_path_open(dir, 0, "seek.cleanup", __WASI_OFLAGS_CREAT,
                                  R(FD_READ) | R(FD_WRITE) | R(FD_SEEK) | R(FD_TELL), 0, 0, &fd)))
    return;
  if (EXPECT_OK("file_seek_tell/tell_initial", __wasi_fd_tell(fd, &pos)))
    expect_u64("file_seek_tell/initial_0", 0, pos);
  expect_true("file_seek_tell/write", write_n(fd, 0, 100), "100 bytes written");
  if (EXPECT_OK("file_seek_tell/tell_after_write", __wasi_fd_tell(fd, &pos)))
    expect_u64("file_seek_tell/after_write_100", 100, pos);
  if (EXPECT_OK("file_seek_tell/seek_back", __wasi_fd_seek(fd, -50, __WASI_WHENCE_CUR, &pos)))
    expect_u64("file_seek_tell/seek_back_50", 50, pos);
  if (EXPECT_OK("file_seek_tell/seek_start", __wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos)))
    expect_u64("file_seek_tell/seek_start_0", 0, pos);
  if (EXPECT_OK("file_seek_tell/seek_past_end", __wasi_fd_seek(fd, 1000, __WASI_WHENCE_CUR, &pos)))
    expect_u64("file_seek_tell/seek_past_end_1000", 1000, pos);
  EXPECT_ERRNO("file_seek_tell/seek_before_start", __wasi_fd_seek(fd, -2000, __WASI_WHENCE_CUR, &pos),
               __WASI_ERRNO_INVAL);
  if (EXPECT_OK("file_seek_tell/seek_end", __wasi_fd_seek(fd, -10, __WASI_WHENCE_END, &pos)))
    expect_u64("file_seek_tell/seek_end_90", 90, pos);
  (void)__wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos);
  expect_true("file_seek_tell/read", read_is(fd, 0, 100), "100 bytes read");
  if (EXPECT_OK("file_seek_tell/tell_after_read", __wasi_fd_tell(fd, &pos)))
    expect_u64("file_seek_tell/after_read_100", 100, pos);
  (void)__wasi_fd_close(fd);
  (void)__wasi_path_unlink_file(dir, "seek.cleanup");
}

static void file_truncation(__wasi_fd_t dir) {
  __wasi_fd_t fd;
  static const char text[] = "this content will be truncated!";
  size_t n;
  if (!EXPECT_OK("file_truncation/create",
                 __wasi_path_open(dir, 0, "test.txt", __WASI_OFLAGS_CREAT, R(FD_WRITE), 0, 0, &fd)))
    return;
  if (EXPECT_OK("file_truncation/write", write_all(fd, text, sizeof text - 1, &n)))
    expect_u64("file_truncation/write_count", sizeof text - 1, n);
  (void)__wasi_fd_close(fd);
  if (EXPECT_OK("file_truncation/open_trunc",
                __wasi_path_open(dir, 0, "test.txt", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC,
                                 R(FD_WRITE) | R(FD_READ), 0, 0, &fd))) {
    uint8_t buf[100];
    if (EXPECT_OK("file_truncation/read", read_into(fd, buf, sizeof buf, &n)))
      expect_u64("file_truncation/empty", 0, n);
    (void)__wasi_fd_close(fd);
  }
  (void)__wasi_path_unlink_file(dir, "test.txt");
}

static void file_unbuffered_write(__wasi_fd_t dir) {
  __wasi_fd_t r, w;
  if (!EXPECT_OK("file_unbuffered_write/open_read",
                 __wasi_path_open(dir, 0, "unbuf.cleanup", __WASI_OFLAGS_CREAT, R(FD_READ), 0, 0, &r)))
    return;
  if (EXPECT_OK("file_unbuffered_write/open_write",
                __wasi_path_open(dir, 0, "unbuf.cleanup", 0, R(FD_WRITE), 0, 0, &w))) {
    uint8_t one = 1, got = 0;
    size_t n;
    if (EXPECT_OK("file_unbuffered_write/write", write_all(w, &one, 1, &n)))
      expect_u64("file_unbuffered_write/write_count", 1, n);
    if (EXPECT_OK("file_unbuffered_write/read", read_into(r, &got, 1, &n)))
      expect_true("file_unbuffered_write/seen", n == 1 && got == 1, "the byte written through the other fd");
    (void)__wasi_fd_close(w);
  }
  (void)__wasi_fd_close(r);
  (void)__wasi_path_unlink_file(dir, "unbuf.cleanup");
}

static void dangling_fd(__wasi_fd_t dir) {
  __wasi_fd_t fd;
  EXPECT_OK("dangling_fd/create", create_file(dir, "dangling_fd_file.cleanup"));
  if (EXPECT_OK("dangling_fd/reopen", __wasi_path_open(dir, 0, "dangling_fd_file.cleanup", 0, 0, 0, 0, &fd)))
    (void)__wasi_fd_close(fd);
  EXPECT_OK("dangling_fd/unlink", __wasi_path_unlink_file(dir, "dangling_fd_file.cleanup"));
  EXPECT_OK("dangling_fd/create_again", create_file(dir, "dangling_fd_file.cleanup"));
  EXPECT_OK("dangling_fd/unlink_again", __wasi_path_unlink_file(dir, "dangling_fd_file.cleanup"));
  EXPECT_OK("dangling_fd/mkdir", __wasi_path_create_directory(dir, "dangling_fd_subdir.cleanup"));
  if (EXPECT_OK("dangling_fd/open_dir",
                __wasi_path_open(dir, 0, "dangling_fd_subdir.cleanup", __WASI_OFLAGS_DIRECTORY, 0, 0, 0, &fd)))
    (void)__wasi_fd_close(fd);
  EXPECT_OK("dangling_fd/rmdir", __wasi_path_remove_directory(dir, "dangling_fd_subdir.cleanup"));
  EXPECT_OK("dangling_fd/mkdir_again", __wasi_path_create_directory(dir, "dangling_fd_subdir.cleanup"));
  (void)__wasi_path_remove_directory(dir, "dangling_fd_subdir.cleanup");
}

int main(int argc, char **argv) {
  __wasi_fd_t scratch = scratch_from_args(argc, argv);
  if (scratch == NO_FD) return finish() | 1;
  __wasi_fd_t dir = make_tmp_dir(scratch, "file_io_dir.cleanup");
  if (!expect_true("setup/tmp_dir", dir != NO_FD, "a tmp dir")) return finish();
  fd_advise(dir);
  file_allocate(dir);
  fd_flags_set(dir);
  file_pread_pwrite(dir);
  file_seek_tell(dir);
  file_truncation(dir);
  file_unbuffered_write(dir);
  dangling_fd(dir);
  (void)__wasi_fd_close(dir);
  EXPECT_OK("cleanup/rmdir", __wasi_path_remove_directory(scratch, "file_io_dir.cleanup"));
  return finish();
}
