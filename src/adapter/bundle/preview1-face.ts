/**
 * The preview1 face as a bundle loads it: only bundles of core modules (and adapters)
 * import this, so a component bundle neither carries nor loads it.
 */
export { createPreview1 } from '../preview1/index.js';
export { runModule } from '../preview1/run.js';
