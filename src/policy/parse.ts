/**
 * Policy files as text: TOML (WASI-Virt's `virt-opts` tables) or JSON (what `toJSON()`
 * and `wasi-virt policy` print; comments allowed). Every error names the file, the line
 * and the key path: `policy.toml:12: fs.preopens."/".dir.x: unknown key "foo"`.
 *
 * Both parsers keep source positions (toml-eslint-parser's AST, jsonc-parser's tree),
 * so one parse gives the value and a map from key paths to lines; validation then runs
 * on the plain value and its errors are placed through that map.
 *
 * Platform-neutral (no file access): src/policy/load.ts reads files under Node.
 */
import { getStaticTOMLValue, parseTOML, type AST } from 'toml-eslint-parser';
import { parseTree, printParseErrorCode, type Node as JsonNode, type ParseError as JsonParseError } from 'jsonc-parser';
import type { Policy } from './types.js';
import { PolicyError, PolicyFileError, joinPathAndReason, type PathSegment } from './errors.js';
import { validatePolicy } from './validate.js';

export type PolicyFormat = 'toml' | 'json';

/** Where each key path sits: the line of its key and of its value (1-based). */
type LineMap = Map<string, { key: number; value: number }>;

/** Keys of a WASI-Virt test case beside `virt-opts`: accepted and ignored (they drive its harness). */
const TEST_CASE_KEYS = ['component', 'compose', 'host-env', 'host-config', 'host-fs-path', 'expect'];

export function formatFromName(file: string): PolicyFormat | undefined {
  const lower = file.toLowerCase();
  if (lower.endsWith('.toml')) return 'toml';
  if (lower.endsWith('.json')) return 'json';
  return undefined;
}

/**
 * Parse and validate a policy document. A document with a top-level `virt-opts` table is
 * read as a WASI-Virt test case: its policy is that table and the harness keys are ignored.
 * `file` is only used in messages.
 */
export function parsePolicyText(text: string, format: PolicyFormat, file = `policy.${format}`): Policy {
  const { value, lines } = format === 'toml' ? readToml(text, file) : readJson(text, file);
  return placeErrors(file, lines, () => {
    if (isPlainObject(value) && 'virt-opts' in value) {
      for (const key of Object.keys(value)) {
        if (key !== 'virt-opts' && !TEST_CASE_KEYS.includes(key)) {
          throw new PolicyError([key], `unknown key "${key}" (a file with "virt-opts" is read as a WASI-Virt test case)`, 'key');
        }
      }
      return validatePolicy(value['virt-opts'], { path: ['virt-opts'] });
    }
    return validatePolicy(value);
  });
}

/**
 * A parsed (not validated) document and where its keys sit, for callers that check
 * parts of it themselves: the test-case runner (tests/helpers/cases.ts) validates its
 * own keys beside `virt-opts`. `check` runs `fn` and turns a PolicyError thrown by it
 * into the PolicyFileError `file:line: path: reason` that parsePolicyText gives.
 */
export interface PolicyDocument {
  value: unknown;
  check<T>(fn: () => T): T;
}

export function readPolicyDocument(text: string, format: PolicyFormat, file = `policy.${format}`): PolicyDocument {
  const { value, lines } = format === 'toml' ? readToml(text, file) : readJson(text, file);
  return { value, check: (fn) => placeErrors(file, lines, fn) };
}

function placeErrors<T>(file: string, lines: LineMap, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof PolicyError) throw new PolicyFileError(file, lineOf(lines, e.path, e.kind), e.message, e.path);
    throw e;
  }
}

function lineOf(lines: LineMap, path: readonly PathSegment[], kind: 'key' | 'value'): number | undefined {
  // A path the document does not spell out (a member left to its default) points at its
  // nearest written ancestor.
  for (let n = path.length; n >= 0; n--) {
    const hit = lines.get(pathKey(path.slice(0, n)));
    if (hit) return n === path.length && kind === 'value' ? hit.value : hit.key;
  }
  return undefined;
}

function pathKey(path: readonly PathSegment[]): string {
  return JSON.stringify(path);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

// ---- TOML ----

function readToml(text: string, file: string): { value: unknown; lines: LineMap } {
  let ast: AST.TOMLProgram;
  try {
    ast = parseTOML(text, { tomlVersion: '1.0' });
  } catch (e) {
    const err = e as { index?: number; lineNumber?: number; message: string };
    throw new PolicyFileError(file, syntaxLine(text, err.index, err.lineNumber), `TOML syntax error: ${err.message}`);
  }
  const lines: LineMap = new Map();
  const note = (path: PathSegment[], key: number, value: number) => {
    if (!lines.has(pathKey(path))) lines.set(pathKey(path), { key, value });
  };
  note([], 1, 1);
  const walkValue = (path: PathSegment[], node: AST.TOMLContentNode) => {
    if (node.type === 'TOMLInlineTable') for (const kv of node.body) walkKeyValue(path, kv);
    else if (node.type === 'TOMLArray') {
      node.elements.forEach((el, i) => {
        note([...path, i], el.loc.start.line, el.loc.start.line);
        walkValue([...path, i], el);
      });
    }
  };
  const walkKeyValue = (base: PathSegment[], kv: AST.TOMLKeyValue) => {
    const names = kv.key.keys.map((k) => (k.type === 'TOMLBare' ? k.name : k.value));
    const line = kv.key.loc.start.line;
    for (let i = 1; i < names.length; i++) note([...base, ...names.slice(0, i)], line, line);
    const full = [...base, ...names];
    note(full, line, kv.value.loc.start.line);
    walkValue(full, kv.value);
  };
  for (const node of ast.body[0].body) {
    if (node.type === 'TOMLKeyValue') walkKeyValue([], node);
    else {
      const line = node.loc.start.line;
      const key = node.resolvedKey;
      for (let i = 1; i <= key.length; i++) note(key.slice(0, i), line, line);
      for (const kv of node.body) walkKeyValue(key, kv);
    }
  }
  return { value: getStaticTOMLValue(ast), lines };
}

// ---- JSON ----

const JSON_ERRORS: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'malformed number',
  PropertyNameExpected: 'expected a "key" (JSON has no trailing commas)',
  ValueExpected: 'expected a value',
  ColonExpected: 'expected ":"',
  CommaExpected: 'expected ","',
  CloseBraceExpected: 'expected "}"',
  CloseBracketExpected: 'expected "]"',
  EndOfFileExpected: 'unexpected text after the end of the document',
  InvalidCommentToken: 'malformed comment',
  UnexpectedEndOfComment: 'unterminated comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'malformed \\u escape',
  InvalidEscapeCharacter: 'invalid escape',
  InvalidCharacter: 'invalid character in string',
};

function readJson(text: string, file: string): { value: unknown; lines: LineMap } {
  const errors: JsonParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: false });
  const lineAt = lineIndex(text);
  const first = errors[0];
  if (first || !root) {
    const code = first ? printParseErrorCode(first.error) : 'ValueExpected';
    // Anything the parser still wanted when the text ran out: a cut-off file, whatever
    // token it happened to expect next (after `"a": 1,` that would read "trailing comma").
    const offset = first?.offset ?? 0;
    const cut = text.trim() !== '' && offset >= text.trimEnd().length;
    const expected = JSON_ERRORS[code] ?? code;
    const why = cut ? `the document ends early (truncated?): ${expected.replace(/ \(.*\)$/, '')}` : expected;
    throw new PolicyFileError(file, lineAt(cut ? text.trimEnd().length - 1 : offset), `JSON syntax error: ${why}`);
  }
  const lines: LineMap = new Map();
  const walk = (path: PathSegment[], node: JsonNode, keyLine: number): unknown => {
    lines.set(pathKey(path), { key: keyLine, value: lineAt(node.offset) });
    switch (node.type) {
      case 'object': {
        const out: Record<string, unknown> = {};
        for (const prop of node.children ?? []) {
          const [k, v] = prop.children as [JsonNode, JsonNode | undefined];
          const name = k.value as string;
          if (Object.hasOwn(out, name)) {
            throw new PolicyFileError(file, lineAt(k.offset), joinPathAndReason(path, `duplicate key "${name}"`), [...path, name]);
          }
          out[name] = v === undefined ? undefined : walk([...path, name], v, lineAt(k.offset));
        }
        return out;
      }
      case 'array':
        return (node.children ?? []).map((c, i) => walk([...path, i], c, lineAt(c.offset)));
      default:
        return node.value;
    }
  };
  return { value: walk([], root, 1), lines };
}

// ---- positions ----

/** offset → 1-based line. */
function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/**
 * The line to blame for a syntax error. A parser that runs into the end of a line (or
 * of the file) looking for a value reports the next line; the mistake is on the last
 * line that has text.
 */
function syntaxLine(text: string, index: number | undefined, reported: number | undefined): number | undefined {
  if (index === undefined) return reported;
  let i = Math.min(index, text.length);
  const lineStart = text.lastIndexOf('\n', i - 1) + 1;
  const lineEnd = text.indexOf('\n', i);
  const rest = text.slice(i, lineEnd === -1 ? text.length : lineEnd);
  if (i === lineStart && rest.trim() === '') {
    // Step back over blank lines to the last one with text.
    i = lineStart - 1;
    while (i > 0 && /\s/.test(text[i]!)) i--;
  }
  return lineIndex(text)(Math.max(i, 0));
}
