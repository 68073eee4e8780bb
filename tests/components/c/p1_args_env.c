/*
 * args_* and environ_* at the syscall level (wasi-testsuite: args_get-multiple-arguments,
 * args_sizes_get-*, environ_get-multiple-variables, environ_sizes_get-*).
 *
 * Run with no arguments: expects exactly argv[0] and an empty environment (nothing inherited
 * from the host). Run with arguments: expects the three arguments and three variables of the
 * "full" manifest case, byte for byte and in order.
 */
#include <stdlib.h>

#include "p1_check.h"

static const char *const want_args[] = {"first", "the \"second\" arg", "3"};
static const char *const want_env[] = {"a=text", "b=escap \" ing", "c=new\nline"};

static void check_list(const char *what, __wasi_size_t count, __wasi_size_t bytes, int is_env,
                       const char *const *want, int nwant, int skip_first) {
  char name[96];
  char **ptrs = calloc(count + 1, sizeof(char *));
  char *buf = calloc(bytes + 1, 1);
  __wasi_errno_t e = is_env ? __wasi_environ_get((uint8_t **)ptrs, (uint8_t *)buf)
                            : __wasi_args_get((uint8_t **)ptrs, (uint8_t *)buf);
  snprintf(name, sizeof name, "%s/get", what);
  if (!EXPECT_OK(name, e)) return;
  size_t used = 0;
  for (__wasi_size_t i = 0; i < count; i++) used += strlen(ptrs[i]) + 1;
  snprintf(name, sizeof name, "%s/sizes_match_strings", what);
  expect_u64(name, bytes, used);
  for (int i = 0; i < nwant && (__wasi_size_t)(i + skip_first) < count; i++) {
    snprintf(name, sizeof name, "%s/value_%d", what, i);
    if (strcmp(ptrs[i + skip_first], want[i]) == 0) ok(name);
    else fail(name, "expected [%s] got [%s]", want[i], ptrs[i + skip_first]);
  }
  free(ptrs);
  free(buf);
}

int main(void) {
  __wasi_size_t argc = 0, argv_bytes = 0, envc = 0, env_bytes = 0;
  EXPECT_OK("args_sizes_get/ok", __wasi_args_sizes_get(&argc, &argv_bytes));
  EXPECT_OK("environ_sizes_get/ok", __wasi_environ_sizes_get(&envc, &env_bytes));
  int full = argc > 1;
  if (full) {
    expect_u64("args_sizes_get-multiple-arguments/count", 4, argc);
    expect_u64("environ_sizes_get-multiple-variables/count", 3, envc);
    check_list("args_get-multiple-arguments", argc, argv_bytes, 0, want_args, 3, 1);
    check_list("environ_get-multiple-variables", envc, env_bytes, 1, want_env, 3, 0);
  } else {
    expect_u64("args_sizes_get-no-arguments/count", 1, argc);
    expect_u64("environ_sizes_get-no-variables/count", 0, envc);
    expect_u64("environ_sizes_get-no-variables/bytes", 0, env_bytes);
    check_list("args_get-no-arguments", argc, argv_bytes, 0, want_args, 0, 1);
  }
  /* argv[0] is the program name the runtime chose: only require that it exists. */
  expect_true("args_get/argv0_present", argc >= 1, "argv[0] to be present");
  return finish();
}
