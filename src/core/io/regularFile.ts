// Opening a file the user named, for reading: only regular files are read (a FIFO would block forever, /dev/zero
// never ends, /dev/stdin waits for a keyboard), decided by the file's type, never by its size, which is 0 for all of
// them. A file that changes while it is read (still being written, truncated, replaced) is an error, not a
// half-read file trained on silently: its size and modification time are compared before and after, and the bytes
// read against the size.
import * as fs from 'node:fs';
import { InputError } from '../inputError';
import { fileKind, noSuchFile } from '../data/missingFile';
import { coreText, type CoreText } from '../messages';

/** What kind of thing a non-regular path is, for the message. */
export function describeFileType(stat: fs.Stats): CoreText {
  if (stat.isDirectory()) return coreText('data.type.folder');
  if (stat.isFIFO()) return coreText('data.type.fifo');
  if (stat.isCharacterDevice()) return coreText('data.type.charDevice');
  if (stat.isBlockDevice()) return coreText('data.type.blockDevice');
  if (stat.isSocket()) return coreText('data.type.socket');
  return coreText('data.type.other');
}

function notRegular(file: string, stat: fs.Stats, what: string): InputError {
  return new InputError(coreText('data.notRegular', { file, type: describeFileType(stat), what: fileKind(what) }));
}

function openError(file: string, error: unknown, what: string): InputError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return noSuchFile(file, what);
  const reason = code === 'EACCES' || code === 'EPERM' ? coreText('data.permissionDenied') : (error as Error).message;
  return new InputError(coreText('data.cannotOpen', { what: fileKind(what), file, reason }));
}

// O_NONBLOCK: opening a FIFO for reading blocks until a writer appears; non-blocking, it returns at once and the
// fstat below refuses it. On a regular file the flag changes nothing. (Windows has no such flag and no FIFOs.)
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

export interface OpenedFile {
  handle: fs.promises.FileHandle;
  stat: fs.Stats;
}

/** Open a regular file for reading (async). `what` names it in messages: "data file", "model file", "config". */
export async function openRegularFile(file: string, what: string): Promise<OpenedFile> {
  let before: fs.Stats;
  try {
    before = await fs.promises.stat(file);
  } catch (error) {
    throw openError(file, error, what);
  }
  if (!before.isFile()) throw notRegular(file, before, what);
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, OPEN_FLAGS);
  } catch (error) {
    throw openError(file, error, what);
  }
  try {
    // The path could have been swapped for something else between the stat and the open.
    const stat = await handle.stat();
    if (!stat.isFile()) throw notRegular(file, stat, what);
    return { handle, stat };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** After reading `bytesRead` bytes: throw when the file is no longer what it was when opened. */
export async function assertUnchanged(opened: OpenedFile, bytesRead: number, file: string, label: string): Promise<void> {
  const after = await opened.handle.stat();
  checkUnchanged(opened.stat, after, bytesRead, label);
  // A writer that replaced the file by renaming leaves our handle on the old one: compare the path too.
  let now: fs.Stats | undefined;
  try {
    now = await fs.promises.stat(file);
  } catch {
    now = undefined;
  }
  if (now === undefined || now.ino !== opened.stat.ino || now.dev !== opened.stat.dev) {
    throw new InputError(coreText('data.replaced', { file: label }));
  }
}

function checkUnchanged(before: fs.Stats, after: fs.Stats, bytesRead: number, label: string): void {
  if (bytesRead !== before.size || after.size !== before.size || after.mtimeMs !== before.mtimeMs) {
    const sizes = after.size !== before.size ? coreText('data.changedSizes', { before: before.size.toLocaleString('en-US'), after: after.size.toLocaleString('en-US') })
      : bytesRead !== before.size ? coreText('data.changedRead', { read: bytesRead.toLocaleString('en-US'), size: before.size.toLocaleString('en-US') }) : '';
    throw new InputError(coreText('data.changed', { file: label, sizes }));
  }
}

/**
 * Read a whole regular file (sync, for model files and configs), refusing one larger than `maxBytes` before
 * reading and one that changes while read. Reads at most size + 1 bytes, so a file that grows cannot run away.
 */
export function readRegularFileSync(file: string, what: string, label: string, maxBytes: number, tooLarge?: (size: number) => string | CoreText): Buffer {
  let before: fs.Stats;
  try {
    before = fs.statSync(file);
  } catch (error) {
    throw openError(file, error, what);
  }
  if (!before.isFile()) throw notRegular(file, before, what);
  if (before.size > maxBytes) throw new InputError(tooLarge ? tooLarge(before.size)
    : coreText('data.tooLargeBytes', { file: label, size: before.size.toLocaleString('en-US'), what: fileKind(what), max: maxBytes.toLocaleString('en-US') }));
  let fd: number;
  try {
    fd = fs.openSync(file, OPEN_FLAGS);
  } catch (error) {
    throw openError(file, error, what);
  }
  try {
    const opened = fs.fstatSync(fd);
    if (!opened.isFile()) throw notRegular(file, opened, what);
    const buffer = Buffer.allocUnsafe(opened.size + 1);
    let bytesRead = 0;
    for (;;) {
      const got = fs.readSync(fd, buffer, bytesRead, buffer.length - bytesRead, null);
      if (got === 0) break;
      bytesRead += got;
      if (bytesRead === buffer.length) break; // more than its size: it is growing
    }
    checkUnchanged(opened, fs.fstatSync(fd), bytesRead, label);
    return buffer.subarray(0, bytesRead);
  } finally {
    fs.closeSync(fd);
  }
}

/** The same for text: UTF-8, as the parsers expect (a BOM is left for them to strip). */
export function readRegularTextSync(file: string, what: string, label: string, maxBytes: number, tooLarge?: (size: number) => string | CoreText): string {
  return readRegularFileSync(file, what, label, maxBytes, tooLarge).toString('utf8');
}
