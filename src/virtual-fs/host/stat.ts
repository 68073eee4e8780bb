/** Host stat results in the virtual host's shape. */
import fs from 'node:fs';
import type { FileType, Stat } from '../handle.js';

const S_IFMT = fs.constants.S_IFMT;
const TYPES = new Map<number, FileType>([
  [fs.constants.S_IFREG, 'regular-file'],
  [fs.constants.S_IFDIR, 'directory'],
  [fs.constants.S_IFLNK, 'symbolic-link'],
  [fs.constants.S_IFIFO, 'fifo'],
  [fs.constants.S_IFSOCK, 'socket'],
  [fs.constants.S_IFCHR, 'character-device'],
  [fs.constants.S_IFBLK, 'block-device'],
]);

export function typeOfMode(mode: number | bigint): FileType {
  return TYPES.get(Number(mode) & S_IFMT) ?? 'unknown';
}

export function toStat(s: fs.BigIntStats): Stat {
  return {
    dev: s.dev,
    ino: s.ino,
    type: typeOfMode(s.mode),
    nlink: s.nlink,
    size: s.size,
    atim: s.atimeNs,
    mtim: s.mtimeNs,
    ctim: s.ctimeNs,
  };
}

export function direntType(d: fs.Dirent): FileType {
  if (d.isFile()) return 'regular-file';
  if (d.isDirectory()) return 'directory';
  if (d.isSymbolicLink()) return 'symbolic-link';
  if (d.isFIFO()) return 'fifo';
  if (d.isSocket()) return 'socket';
  if (d.isCharacterDevice()) return 'character-device';
  if (d.isBlockDevice()) return 'block-device';
  return 'unknown';
}
