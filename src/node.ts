/**
 * wasi-virt for Node: everything from the neutral entry plus the Node-only pieces.
 * The package root resolves here under Node (package.json "exports" condition `node`).
 */
export * from './index.js';
