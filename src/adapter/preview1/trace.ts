/**
 * `--debug` tracing: one line per preview1 call, naming the function, its decoded
 * arguments (fds, paths read from guest memory, lengths, flags by name), the errno name
 * of the result with the kernel's reason for a failure (for a denial, the policy rule:
 * `denied by policy: ...`), and what an out-parameter received on success. The reason
 * is read from the failure itself: the trace runs each call's throwing body and converts
 * its WasiError to the errno as the untraced wrapper would.
 *
 * It wraps the composed import object and is applied only when tracing is on, so the
 * untraced path carries no cost at all. Decoding reads guest memory defensively: a bad
 * pointer shows as `<fault>` in the line and is left for the call itself to report.
 */
import { ExitSignal, GuestTrap } from '../kernel/index.js';
import { ERRNO, toErrno, type ErrnoName } from '../../virtual-fs/errors.js';
import { ADVICE, ALL_RIGHTS, CLOCKID, EVENTTYPE, FDFLAGS, FSTFLAGS, OFLAGS, RIGHTS, SUBSCRIPTION_SIZE, WHENCE } from './abi.js';
import { bodyOf, NotStartedError, type Imports, type Preview1Context } from './context.js';
import { SIGNALS } from './proc.js';

/**
 * How to show one argument. Kinds marked (2) consume two raw arguments (pointer and
 * length); `out:*` kinds are out-pointers, hidden in the call and shown after success.
 */
type Kind =
  | 'fd' | 'ptr' | 'u32' | 'u64' | 'i64' | 'size' | 'path' /* (2) */ | 'iovs' /* (2) */ | 'ciovs' /* (2) */
  | 'clockid' | 'whence' | 'oflags' | 'fdflags' | 'lookup' | 'rights' | 'fstflags' | 'advice'
  | 'signal' | 'riflags' | 'siflags' | 'sdflags' | 'exitcode' | 'timestamp' | 'subs' /* (in, out, n) */
  | 'out:u32' | 'out:u64' | 'out:fd' | 'out:ptr' | 'out:2u32' | 'out:prestat' | 'out:fdstat' | 'out:filestat'
  | 'out:name' /* (2) */ | 'out:readlink' /* (buf, len, used) */ | 'out:events' | 'out:u32-after';

type Spec = readonly (readonly [string, Kind])[];

const TWO_ARGS: ReadonlySet<Kind> = new Set(['path', 'iovs', 'ciovs', 'out:name']);

/** `name=value` for each parameter `show` renders (`at`: where it starts in the raw arguments). */
function eachParam(spec: Spec, show: (kind: Kind, at: number) => string | undefined): string[] {
  const parts: string[] = [];
  let at = 0;
  for (const [name, kind] of spec) {
    const shown = show(kind, at);
    if (shown !== undefined) parts.push(`${name}=${shown}`);
    at += TWO_ARGS.has(kind) ? 2 : 1;
  }
  return parts;
}

/** Every preview1 function and its arguments, in witx order. */
export const SIGNATURES: Record<string, Spec> = {
  args_get: [['argv', 'out:ptr'], ['argv_buf', 'out:ptr']],
  args_sizes_get: [['sizes', 'out:2u32'], ['', 'out:ptr']],
  environ_get: [['environ', 'out:ptr'], ['environ_buf', 'out:ptr']],
  environ_sizes_get: [['sizes', 'out:2u32'], ['', 'out:ptr']],
  clock_res_get: [['id', 'clockid'], ['resolution', 'out:u64']],
  clock_time_get: [['id', 'clockid'], ['precision', 'u64'], ['time', 'out:u64']],
  fd_advise: [['fd', 'fd'], ['offset', 'u64'], ['len', 'u64'], ['advice', 'advice']],
  fd_allocate: [['fd', 'fd'], ['offset', 'u64'], ['len', 'u64']],
  fd_close: [['fd', 'fd']],
  fd_datasync: [['fd', 'fd']],
  fd_fdstat_get: [['fd', 'fd'], ['stat', 'out:fdstat']],
  fd_fdstat_set_flags: [['fd', 'fd'], ['flags', 'fdflags']],
  fd_fdstat_set_rights: [['fd', 'fd'], ['rights_base', 'rights'], ['rights_inheriting', 'rights']],
  fd_filestat_get: [['fd', 'fd'], ['stat', 'out:filestat']],
  fd_filestat_set_size: [['fd', 'fd'], ['size', 'u64']],
  fd_filestat_set_times: [['fd', 'fd'], ['atim', 'timestamp'], ['mtim', 'timestamp'], ['fst_flags', 'fstflags']],
  fd_pread: [['fd', 'fd'], ['iovs', 'iovs'], ['offset', 'u64'], ['nread', 'out:u32']],
  fd_prestat_get: [['fd', 'fd'], ['prestat', 'out:prestat']],
  fd_prestat_dir_name: [['fd', 'fd'], ['name', 'out:name']],
  fd_pwrite: [['fd', 'fd'], ['iovs', 'ciovs'], ['offset', 'u64'], ['nwritten', 'out:u32']],
  fd_read: [['fd', 'fd'], ['iovs', 'iovs'], ['nread', 'out:u32']],
  fd_readdir: [['fd', 'fd'], ['buf', 'ptr'], ['buf_len', 'size'], ['cookie', 'u64'], ['bufused', 'out:u32']],
  fd_renumber: [['fd', 'fd'], ['to', 'fd']],
  fd_seek: [['fd', 'fd'], ['offset', 'i64'], ['whence', 'whence'], ['newoffset', 'out:u64']],
  fd_sync: [['fd', 'fd']],
  fd_tell: [['fd', 'fd'], ['offset', 'out:u64']],
  fd_write: [['fd', 'fd'], ['iovs', 'ciovs'], ['nwritten', 'out:u32']],
  path_create_directory: [['fd', 'fd'], ['path', 'path']],
  path_filestat_get: [['fd', 'fd'], ['flags', 'lookup'], ['path', 'path'], ['stat', 'out:filestat']],
  path_filestat_set_times: [['fd', 'fd'], ['flags', 'lookup'], ['path', 'path'], ['atim', 'timestamp'], ['mtim', 'timestamp'], ['fst_flags', 'fstflags']],
  path_link: [['old_fd', 'fd'], ['old_flags', 'lookup'], ['old_path', 'path'], ['new_fd', 'fd'], ['new_path', 'path']],
  path_open: [['fd', 'fd'], ['dirflags', 'lookup'], ['path', 'path'], ['oflags', 'oflags'], ['rights_base', 'rights'],
    ['rights_inheriting', 'rights'], ['fdflags', 'fdflags'], ['opened_fd', 'out:fd']],
  path_readlink: [['fd', 'fd'], ['path', 'path'], ['buf', 'out:readlink'], ['buf_len', 'size'], ['bufused', 'out:u32-after']],
  path_remove_directory: [['fd', 'fd'], ['path', 'path']],
  path_rename: [['fd', 'fd'], ['old_path', 'path'], ['new_fd', 'fd'], ['new_path', 'path']],
  path_symlink: [['old_path', 'path'], ['fd', 'fd'], ['new_path', 'path']],
  path_unlink_file: [['fd', 'fd'], ['path', 'path']],
  poll_oneoff: [['in', 'subs'], ['out', 'out:events'], ['nsubscriptions', 'size'], ['nevents', 'out:u32']],
  proc_exit: [['rval', 'exitcode']],
  proc_raise: [['sig', 'signal']],
  sched_yield: [],
  random_get: [['buf', 'ptr'], ['buf_len', 'size']],
  sock_accept: [['fd', 'fd'], ['flags', 'fdflags'], ['fd', 'out:fd']],
  sock_recv: [['fd', 'fd'], ['ri_data', 'iovs'], ['ri_flags', 'riflags'], ['ro_datalen', 'out:u32'], ['ro_flags', 'out:ptr']],
  sock_send: [['fd', 'fd'], ['si_data', 'ciovs'], ['si_flags', 'siflags'], ['so_datalen', 'out:u32']],
  sock_shutdown: [['fd', 'fd'], ['how', 'sdflags']],
};

const ERRNO_NAMES: string[] = [];
for (const [name, n] of Object.entries(ERRNO) as [ErrnoName, number][]) ERRNO_NAMES[n] = name;

const CLOCK_NAMES = Object.fromEntries(Object.entries(CLOCKID).map(([k, v]) => [v, k.toLowerCase()])) as Record<number, string>;
const FILETYPE_NAMES: string[] = ['unknown', 'block-device', 'character-device', 'directory', 'regular-file', 'socket-dgram', 'socket-stream', 'symbolic-link'];
function fileType(n: number): string {
  return FILETYPE_NAMES[n] ?? String(n);
}
const RIGHT_NAMES = Object.entries(RIGHTS).map(([k, v]) => [k.toLowerCase(), v] as const);

function flagNames(value: number, table: Record<string, number>): string {
  if (value === 0) return '0';
  const names: string[] = [];
  let rest = value >>> 0;
  for (const [k, bit] of Object.entries(table)) {
    if (rest & bit) {
      names.push(k.toLowerCase());
      rest &= ~bit;
    }
  }
  if (rest) names.push(`0x${rest.toString(16)}`);
  return names.join('|');
}

/** Rights by name; a set holding most rights reads better as what it lacks (`all but ...`). */
function rightNames(value: bigint): string {
  if (value === 0n) return '0';
  const rest = value & ~ALL_RIGHTS;
  const held = RIGHT_NAMES.filter(([, bit]) => (value & bit) !== 0n).map(([k]) => k);
  const extra = rest ? [`0x${rest.toString(16)}`] : [];
  if (held.length === RIGHT_NAMES.length) return ['all', ...extra].join('|');
  if (held.length > RIGHT_NAMES.length / 2) {
    const lacking = RIGHT_NAMES.filter(([, bit]) => (value & bit) === 0n).map(([k]) => k);
    return `all but ${[lacking.join('|'), ...extra].join(' ')}`;
  }
  return [...held, ...extra].join('|');
}

const MAX_SHOWN = 200;

function quote(s: string): string {
  const shown = s.length > MAX_SHOWN ? `${s.slice(0, MAX_SHOWN)}...` : s;
  return JSON.stringify(shown);
}

function hex(n: number): string {
  return `0x${(n >>> 0).toString(16)}`;
}

/** Build the tracing import object around `inner` (the composed, untraced one). */
export function traceImports(ctx: Preview1Context, inner: Imports, emit: (line: string) => void): Imports {
  const { mem } = ctx;
  const decoder = new TextDecoder('utf-8', { fatal: false });

  const safe = (f: () => string): string => {
    try {
      return f();
    } catch {
      return '<fault>';
    }
  };
  const str = (ptr: number, len: number): string => safe(() => quote(decoder.decode(mem.bytes(ptr, len))));
  const iovTotal = (ptr: number, count: number): string => safe(() => {
    let total = 0;
    const p = mem.check(ptr, (count >>> 0) * 8);
    for (let i = 0; i < count >>> 0; i++) total += mem.u32(p + i * 8 + 4);
    return `[${count >>> 0} iov${count === 1 ? '' : 's'}, ${total} bytes]`;
  });
  const subs = (ptr: number, n: number): string => safe(() => {
    const size = SUBSCRIPTION_SIZE[ctx.version];
    const count = n >>> 0;
    const p = mem.check(ptr, count * size);
    const shown: string[] = [];
    // wasi_unstable's clock subscription carries an extra identifier before the clock id.
    const clockAt = ctx.version === 'unstable' ? 16 : 8;
    for (let i = 0; i < Math.min(count, 8); i++) {
      const s = p + i * size;
      const tag = mem.u8At(s + 8);
      if (tag === EVENTTYPE.CLOCK) {
        const id = mem.u32(s + 8 + clockAt);
        const timeout = mem.u64(s + 8 + clockAt + 8);
        const abs = (mem.u16(s + 8 + clockAt + 24) & 1) !== 0;
        shown.push(`clock ${CLOCK_NAMES[id] ?? id} ${abs ? 'at' : '+'}${timeout}ns`);
      } else if (tag === EVENTTYPE.FD_READ || tag === EVENTTYPE.FD_WRITE) {
        shown.push(`${tag === EVENTTYPE.FD_READ ? 'fd_read' : 'fd_write'} ${mem.u32(s + 16)}`);
      } else {
        shown.push(`tag ${tag}`);
      }
    }
    if (count > 8) shown.push('...');
    return `[${shown.join(', ')}]`;
  });

  /** Render the inputs; out-pointers are remembered for after the call. */
  const describeArgs = (spec: Spec, raw: unknown[]): string =>
    eachParam(spec, (kind, at) => {
      const a = raw[at] as number;
      const b = raw[at + 1] as number;
      const big = raw[at] as bigint;
      switch (kind) {
        case 'fd': case 'u32': case 'size': return String(a >>> 0);
        case 'exitcode': return String(a >>> 0);
        case 'ptr': return hex(a);
        case 'u64': case 'timestamp': return String(BigInt.asUintN(64, big));
        case 'i64': return String(BigInt.asIntN(64, big));
        case 'path': return str(a, b);
        case 'iovs': return iovTotal(a, b).replace(' bytes]', ' bytes room]');
        case 'ciovs': return iovTotal(a, b);
        case 'clockid': return CLOCK_NAMES[a] ?? String(a);
        case 'whence': return WHENCE[ctx.version][a] ?? String(a);
        case 'oflags': return flagNames(a, OFLAGS);
        case 'fdflags': return flagNames(a, FDFLAGS);
        case 'lookup': return flagNames(a, { SYMLINK_FOLLOW: 1 });
        case 'rights': return rightNames(BigInt.asUintN(64, big));
        case 'fstflags': return flagNames(a, FSTFLAGS);
        case 'advice': return ADVICE[a] ?? String(a);
        case 'signal': return SIGNALS[a] !== undefined ? `SIG${SIGNALS[a]!.toUpperCase()}` : String(a);
        case 'riflags': return flagNames(a, { RECV_PEEK: 1, RECV_WAITALL: 2 });
        case 'siflags': return String(a);
        case 'sdflags': return flagNames(a, { RD: 1, WR: 2 });
        case 'subs': return subs(a, raw[at + 2] as number);
        default: return undefined; // out-parameters: shown after the call
      }
    }).join(', ');

  /** What out-parameters received, after a successful call. */
  const describeOut = (spec: Spec, raw: unknown[]): string => {
    const parts = eachParam(spec, (kind, at) => {
      const a = raw[at] as number;
      const b = raw[at + 1] as number;
      switch (kind) {
        case 'out:u32': case 'out:fd': case 'out:u32-after': return safe(() => String(mem.u32(a)));
        case 'out:u64': return safe(() => String(mem.u64(a)));
        case 'out:2u32': return safe(() => `${mem.u32(a)}, ${mem.u32(b)} bytes`);
        case 'out:prestat': return safe(() => `dir name_len=${mem.u32(a + 4)}`);
        case 'out:fdstat': return safe(() => `filetype=${fileType(mem.u8At(a))}, flags=${flagNames(mem.u16(a + 2), FDFLAGS)}`);
        case 'out:filestat': return safe(() => `filetype=${fileType(mem.u8At(a + 16))}, size=${mem.u64(a + (ctx.version === 'preview1' ? 32 : 24))}`);
        case 'out:name': return str(a, b);
        case 'out:readlink': return safe(() => str(a, mem.u32(raw[at + 2] as number)));
        case 'out:events': return undefined; // nevents says how many; the events themselves are the guest's to read
        default: return undefined;
      }
    });
    return parts.length ? ` -> ${parts.join(', ')}` : '';
  };

  const traced: Imports = {};
  for (const [name, fn] of Object.entries(inner)) {
    const spec = SIGNATURES[name] ?? [];
    const call = fn as (...args: unknown[]) => number | void;
    const body = bodyOf(fn);
    traced[name] = ((...raw: unknown[]) => {
      const args = describeArgs(spec, raw);
      let result: number | void;
      let reason: string | undefined;
      try {
        if (body === undefined) {
          result = call(...raw);
        } else {
          // The body's own failure, converted here rather than by its wrapper, names the reason.
          try {
            if (!ctx.started) throw new NotStartedError();
            body(...raw);
            result = 0;
          } catch (err) {
            const failure = ctx.failure(err);
            reason = failure.detail;
            result = toErrno(failure.code);
          }
        }
      } catch (err) {
        if (err instanceof ExitSignal) emit(`${name}(${args}) -> exit ${err.code}`);
        else if (err instanceof GuestTrap) emit(`${name}(${args}) -> trap (${err.message})`);
        else emit(`${name}(${args}) -> trap: ${err instanceof Error ? err.message : String(err)}`);
        throw err;
      }
      if (typeof result !== 'number') {
        emit(`${name}(${args})`);
      } else if (result === 0) {
        emit(`${name}(${args}) = success${describeOut(spec, raw)}`);
      } else {
        emit(`${name}(${args}) = ${ERRNO_NAMES[result] ?? String(result)}${reason ? ` (${reason})` : ''}`);
      }
      return result;
    }) as Imports[string];
  }
  return traced;
}
