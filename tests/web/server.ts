/**
 * A static file server on localhost for the browser tests: URL prefixes mapped to
 * directories, with the content types a page needs for modules and wasm. Nothing else:
 * a bundle must need no more from a server than static files.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html', '.json': 'application/json',
};

export interface StaticServer {
  base: string;
  close(): Promise<void>;
}

export async function serveStatic(roots: Record<string, string>, index = '<!doctype html><title>wasi-virt</title>'): Promise<StaticServer> {
  const server: Server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html' }).end(index);
      return;
    }
    const prefix = Object.keys(roots).find((p) => path.startsWith(`/${p}/`));
    const rel = prefix === undefined ? undefined : normalize(path.slice(prefix.length + 2));
    if (prefix === undefined || rel === undefined || rel.startsWith('..')) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(join(roots[prefix]!, rel));
      res.writeHead(200, { 'content-type': TYPES[extname(rel)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    base: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
