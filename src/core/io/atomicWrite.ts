// Every file Gradscope writes goes through here: the bytes go to a temporary file in the target's folder, are flushed
// to disk, and the temporary file is renamed over the target. A rename within one folder is atomic on POSIX and on
// NTFS, so an interrupted write (Ctrl-C, a full disk, a crash) leaves either the old file or the new one, never a
// truncated mix. The check for an output path runs before long work starts, so a bad path fails at once.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../inputError';

export interface AtomicWriteOptions {
  /** Create the target's folder (and its parents) when missing. Default true. */
  mkdir?: boolean;
  /** fsync the data before the rename (and the folder after it) so a power cut cannot reorder them. Default true. */
  fsync?: boolean;
}

let counter = 0;

/** A fresh name beside `file`, hidden, unique per process and call. */
export function temporaryPathFor(file: string): string {
  const dir = path.dirname(file);
  const base = path.basename(file);
  counter = (counter + 1) % 1e9;
  return path.join(dir, `.${base}.${process.pid}.${Date.now().toString(36)}${counter.toString(36)}.tmp`);
}

/** Where the bytes really go: through a symlink to its target, so the link is kept and its target replaced. */
function resolveTarget(file: string): string {
  const absolute = path.resolve(file);
  try {
    if (fs.lstatSync(absolute).isSymbolicLink()) return fs.realpathSync(absolute);
  } catch {
    // Missing: written where asked.
  }
  return absolute;
}

function existingMode(file: string): number | undefined {
  try {
    return fs.statSync(file).mode & 0o7777;
  } catch {
    return undefined;
  }
}

function fsyncFolder(dir: string): void {
  if (process.platform === 'win32') return; // folders cannot be opened for fsync there; NTFS journals the rename
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on a folder: the data itself is already on disk.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Write `data` to `file` atomically (temp file in the same folder, fsync, rename). Throws the fs error on failure. */
export function writeFileAtomicSync(file: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  const target = resolveTarget(file);
  const dir = path.dirname(target);
  if (options.mkdir !== false) fs.mkdirSync(dir, { recursive: true });
  const temp = temporaryPathFor(target);
  const mode = existingMode(target);
  let fd: number | undefined;
  try {
    fd = fs.openSync(temp, 'wx', mode ?? 0o666);
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let offset = 0;
    while (offset < bytes.length) offset += fs.writeSync(fd, bytes, offset, bytes.length - offset);
    if (options.fsync !== false) fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    if (mode !== undefined) fs.chmodSync(temp, mode); // the umask may have narrowed it
    fs.renameSync(temp, target);
  } catch (error) {
    if (fd !== undefined) {
      try { fs.closeSync(fd); } catch { /* already failing */ }
    }
    try { fs.unlinkSync(temp); } catch { /* never created, or already renamed */ }
    throw error;
  }
  if (options.fsync !== false) fsyncFolder(dir);
}

/** The promise form of writeFileAtomicSync, for the extension host (no blocking of its thread on a large write). */
export async function writeFileAtomic(file: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const target = resolveTarget(file);
  const dir = path.dirname(target);
  if (options.mkdir !== false) await fs.promises.mkdir(dir, { recursive: true });
  const temp = temporaryPathFor(target);
  const mode = existingMode(target);
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(temp, 'wx', mode ?? 0o666);
    await handle.writeFile(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    if (options.fsync !== false) await handle.sync();
    await handle.close();
    handle = undefined;
    if (mode !== undefined) await fs.promises.chmod(temp, mode);
    await fs.promises.rename(temp, target);
  } catch (error) {
    if (handle !== undefined) await handle.close().catch(() => undefined);
    await fs.promises.unlink(temp).catch(() => undefined);
    throw error;
  }
  if (options.fsync !== false) fsyncFolder(dir);
}

/**
 * Check, before any long work, that `file` can be written: not a folder or a device, and its folder (or the nearest
 * existing ancestor, when folders are still to be made) accepts a new file. `what` names the option in the message
 * ("--save", "--report"). Throws an InputError; creates nothing that outlives the call.
 */
export function checkOutputPath(file: string, what: string): void {
  const target = resolveTarget(file);
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(target);
  } catch {
    stat = undefined;
  }
  if (stat?.isDirectory()) throw new InputError(`${what} ${file}: that is a folder; give a file name`);
  if (stat !== undefined && !stat.isFile()) throw new InputError(`${what} ${file}: that is not a regular file (a device or a pipe?); give a file name`);
  let dir = path.dirname(target);
  for (;;) {
    let dirStat: fs.Stats | undefined;
    try {
      dirStat = fs.statSync(dir);
    } catch {
      dirStat = undefined;
    }
    if (dirStat !== undefined) {
      if (!dirStat.isDirectory()) throw new InputError(`${what} ${file}: ${dir} is a file, not a folder`);
      break;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new InputError(`${what} ${file}: no folder on that path exists`);
    dir = parent;
  }
  if (dir !== path.dirname(target)) {
    // Folders are still to be made: the nearest existing one must let us make them.
    try {
      fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK);
    } catch (error) {
      throw new InputError(`${what} ${file}: cannot create folders in ${dir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    return;
  }
  // The folder exists: try the very operation the write will do (access() says yes on a read-only mount).
  const probe = temporaryPathFor(target);
  try {
    fs.closeSync(fs.openSync(probe, 'wx'));
  } catch (error) {
    throw new InputError(`${what} ${file}: cannot write in ${dir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  } finally {
    try { fs.unlinkSync(probe); } catch { /* not created */ }
  }
}
