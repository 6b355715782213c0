// A mistake in the user's input (data file, config, model file, command line): reported with its place, never as a
// stack trace. Everything else that throws is a bug.
import { formatCoreText, type CoreText } from './messages';

/** Where in a file something went wrong; line and column are 1-based, as people read them. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

export class InputError extends Error {
  /** The message as data (catalogue id + arguments), for the extension to translate; `message` is its English. */
  readonly text?: CoreText;

  constructor(message: string | CoreText, readonly location?: SourceLocation) {
    super(typeof message === 'string' ? message : formatCoreText(message));
    this.name = 'InputError';
    if (typeof message !== 'string') this.text = message;
  }

  /** "file:line:column: message", or the message alone when there is no place to point at. */
  describe(): string {
    const where = this.location;
    return where ? `${where.file}:${where.line}:${where.column}: ${this.message}` : this.message;
  }
}

export function isInputError(e: unknown): e is InputError {
  return e instanceof InputError;
}
