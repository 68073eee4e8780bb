/**
 * What a bundle's entry module hands to the runtime: everything compose decided, as plain
 * JSON written into `out/<name>.js`. Paths are relative to the entry, so the directory
 * can be moved or copied anywhere.
 */
import type { Policy } from '../../policy/types.js';

export const BUNDLE_FORMAT = 1;

export interface CoreApp {
  kind: 'module';
  /** The module file, e.g. `app.wasm`. */
  file: string;
}

export interface ComponentApp {
  kind: 'component';
  /** Directory of the transpiled component, e.g. `app.component`. */
  dir: string;
  /** The generated JavaScript module inside `dir`. */
  js: string;
  /** Core modules inside `dir`, by the names the generated code asks for. */
  core: string[];
  /** Interfaces the generated code reads from the import object (unversioned). */
  imports: string[];
  /**
   * `preview3`: a WASI 0.3 command, transpiled for async instantiation; the bundle awaits
   * its `wasi:cli/run@0.3…` export (needs JSPI). Absent: a 0.2 component.
   */
  abi?: 'preview3';
}

export interface SnapshotEntry {
  /** The policy path of the `virtualize` entry (the key the host looks snapshots up by). */
  key: string;
  /** Byte range inside the snapshot file. */
  offset: number;
  length: number;
  /** Hex SHA-256 of the snapshot body, as its header stores it. */
  hash: string;
}

export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  /** The wasi-virt version that wrote the bundle. */
  wasiVirt: string;
  /** The bundle's name: `out/<name>.js`. */
  name: string;
  /** The guest's argv[0] when the policy sets no args (the app's file name). */
  program: string;
  /** Absent for an adapter-only output. */
  app?: CoreApp | ComponentApp;
  policy: Policy;
  /** One file holding every snapshot back to back, each starting on a 4 KiB boundary. */
  snapshots?: { file: string; entries: SnapshotEntry[] };
  /** `--inline`: the bundle's files (by their names beside the entry) as base64, so the entry is the whole bundle. */
  embedded?: Record<string, string>;
}
