/**
 * A bundle in a browser, a worker or an edge runtime: its files fetched relative to the
 * entry (a server need only serve static files), the web platform, and no "main": a page
 * imports the entry and calls `run`.
 */
import { webPlatform } from '../web/platform.js';
import type { RuntimeHost } from './host.js';

export function webHost(): RuntimeHost {
  return {
    name: 'web',
    platform: webPlatform,
    async read(url) {
      const response = await fetch(url);
      if (!response.ok) throw Object.assign(new Error(`HTTP ${response.status}`), { code: `HTTP ${response.status}` });
      return new Uint8Array(await response.arrayBuffer());
    },
    isMain: () => false,
  };
}
