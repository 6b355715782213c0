// "No such file", with the sibling a person probably meant: `--data sinus.csv` beside `sine.csv`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../inputError';
import { closestName } from '../didYouMean';
import { coreText, type CoreArg } from '../messages';

/** Longer names cannot be typos of a real file name (255 bytes on common file systems); no edit-distance work on them. */
const MAX_NAME_LENGTH = 255;

/**
 * The file beside `filePath` whose name is closest to its name (a plausible typo), written the way `filePath` was
 * (same folder prefix), or undefined.
 */
export function closestSibling(filePath: string): string | undefined {
  const base = path.basename(filePath);
  if (base.length > MAX_NAME_LENGTH) return undefined;
  let names: string[];
  try {
    names = fs.readdirSync(path.dirname(filePath));
  } catch {
    return undefined;
  }
  const guess = closestName(base, names.filter(n => n !== base && n.length <= MAX_NAME_LENGTH));
  if (!guess) return undefined;
  const folder = path.dirname(filePath);
  return folder === '.' && !filePath.startsWith('.') ? guess : path.join(folder, guess);
}

/** The error for a file that is not there; `what` names it (`model file`), `shown` is the path as the user wrote it. */
export function noSuchFile(shown: string, what = '', resolved = shown): InputError {
  const sibling = closestSibling(resolved);
  const suggestion = sibling === undefined ? '' : coreText('config.didYouMean', { name: path.join(path.dirname(shown), path.basename(sibling)).replace(/\\/g, '/') });
  return new InputError(what
    ? coreText('data.noSuchFileOf', { what: fileKind(what), file: shown, suggestion })
    : coreText('data.noSuchFile', { file: shown, suggestion }));
}

/** "data file", "model file", "config" as a message (another name as it is). */
export function fileKind(what: string): CoreArg {
  switch (what) {
    case 'data file': return coreText('data.what.dataFile');
    case 'model file': return coreText('data.what.modelFile');
    case 'config': return coreText('data.what.config');
    default: return what;
  }
}
