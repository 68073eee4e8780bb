/** PLACEHOLDER: the random functions of preview1 land with the preview1 issue. */
import type { Imports, Preview1Context } from './context.js';

export default function randomImports(_ctx: Preview1Context): Imports {
  return {};
}
