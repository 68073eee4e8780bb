/** PLACEHOLDER: the fd functions of preview1 land with the preview1 issue. */
import type { Imports, Preview1Context } from './context.js';

export default function fdImports(_ctx: Preview1Context): Imports {
  return {};
}
