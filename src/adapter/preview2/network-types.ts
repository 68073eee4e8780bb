/**
 * What allowed wasi:sockets / wasi:http pass through to: preview2-shim's Node
 * implementation (src/adapter/preview2/network-node.ts loads it), or anything shaped the
 * same. Kept as plain data so this face stays free of `node:*` imports.
 */

// The shim's classes are plain JS; `Function` is what we can say about them here.
// biome-ignore lint/complexity/noBannedTypes: the shim's classes are untyped JS
export type AnyClass = Function & { prototype: object };

/** preview2-shim's wasi:io pieces, to recognise its streams, pollables and errors. */
export interface ShimIo {
  InputStream: AnyClass;
  OutputStream: AnyClass;
  Pollable: AnyClass;
  Error: AnyClass;
  poll(list: unknown[]): ArrayLike<number>;
}

/** Namespaces by camelCase interface name, as preview2-shim exports them (`tcpCreateSocket`). */
export type ShimNamespaces = Record<string, Record<string, unknown>>;

export interface NetworkProvider {
  io: ShimIo;
  /** `createSockets()` of preview2-shim's sockets module (an instance-local network). */
  sockets?: ShimNamespaces;
  /** `{ types, outgoingHandler }` of preview2-shim's http module. */
  http?: ShimNamespaces;
  /** Wait on shim pollables; returns the ready indexes. */
  poll(list: unknown[]): Uint32Array;
}
