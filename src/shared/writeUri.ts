// The host side of "nothing lost": a file the user saves through a dialog is written to a temporary sibling and
// renamed over the target, on disk through the core's atomic writer, on other file systems (remote, virtual) through
// vscode.workspace.fs with the same temp-then-rename steps.
import * as vscode from 'vscode';
import * as path from 'node:path';
import { writeFileAtomic } from '../core/io/atomicWrite';
import { SaveError } from './saveError';

/** Throws a SaveError (the reason in the display language, the system's error as its cause) when the write fails. */
export async function writeUriAtomic(target: vscode.Uri, data: string | Uint8Array): Promise<void> {
  try {
    await writeBytes(target, data);
  } catch (error) {
    throw error instanceof SaveError ? error : new SaveError(target.scheme === 'file' ? target.fsPath : target.path, error);
  }
}

async function writeBytes(target: vscode.Uri, data: string | Uint8Array): Promise<void> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  if (target.scheme === 'file') {
    await writeFileAtomic(target.fsPath, bytes);
    return;
  }
  const name = path.posix.basename(target.path);
  const temp = target.with({ path: path.posix.join(path.posix.dirname(target.path), `.${name}.${Date.now().toString(36)}.tmp`) });
  try {
    await vscode.workspace.fs.writeFile(temp, bytes);
    await vscode.workspace.fs.rename(temp, target, { overwrite: true });
  } catch (error) {
    await Promise.resolve(vscode.workspace.fs.delete(temp)).catch(() => undefined);
    throw error;
  }
}
