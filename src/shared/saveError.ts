// A save or export that fails (no permission, a full disk, a read-only or missing folder) in the display language:
// the file system's error code in words, with the file's name; an unknown failure keeps the system's own message.
// Pure (no vscode): @vscode/l10n holds the same bundle as vscode.l10n (src/shared/localize.ts), so the unit tests
// check the Korean in plain Node. Node's errno codes (local files) and vscode.FileSystemError's codes (remote and
// virtual file systems, written through vscode.workspace.fs) are both read.
import * as l10n from '@vscode/l10n';

/** Why a write failed, in words, from the error's code; undefined for a code it does not know. */
export function saveFailureReason(error: unknown): string | undefined {
  const { code, syscall } = (error ?? {}) as { code?: unknown; syscall?: unknown };
  // mkdir -p over a path whose part is a file says EEXIST (the writer makes the target's folders first)
  if (code === 'EEXIST' && syscall === 'mkdir') return l10n.t('a part of its path is a file, not a folder');
  switch (code) {
    case 'EACCES':
    case 'EPERM':
    case 'NoPermissions':
      return l10n.t('permission denied');
    case 'ENOSPC':
    case 'EDQUOT':
      return l10n.t('the disk is full');
    case 'EROFS':
      return l10n.t('the file system is read-only');
    case 'ENOENT':
    case 'FileNotFound':
      return l10n.t('its folder does not exist');
    case 'EISDIR':
    case 'FileIsADirectory':
      return l10n.t('that is a folder');
    case 'ENOTDIR':
    case 'FileNotADirectory':
      return l10n.t('a part of its path is a file, not a folder');
    case 'ENAMETOOLONG':
      return l10n.t('the name is too long');
    case 'Unavailable':
      return l10n.t('the file system is not available');
    default:
      return undefined;
  }
}

/** "could not save <name>: <reason>"; the previous file, if any, is whole (atomic writes). */
export function saveErrorText(error: unknown, fileName: string): string {
  const reason = saveFailureReason(error) ?? (error instanceof Error ? error.message : String(error));
  return l10n.t('could not save {0}: {1}', fileName, reason);
}

/** An error whose message is saveErrorText; the system's error stays as its cause (the log shows both). */
export class SaveError extends Error {
  constructor(readonly file: string, cause: unknown) {
    super(saveErrorText(cause, basename(file)), { cause });
    this.name = 'SaveError';
  }
}

function basename(file: string): string {
  const parts = file.split(/[\\/]/).filter(p => p !== '');
  return parts.at(-1) ?? file;
}
