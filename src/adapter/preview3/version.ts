/** The WASI 0.3 release candidate jco 1.35 and Rust's wasm32-wasip3 target use (the only 0.3 served). */
export const WASI_P3_VERSION = '0.3.0-rc-2026-03-15';
