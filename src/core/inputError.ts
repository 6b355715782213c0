// A mistake in the user's input (data file, config, model file, command line): reported with its place, never as a
// stack trace. Everything else that throws is a bug.

/** Where in a file something went wrong; line and column are 1-based, as people read them. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

export class InputError extends Error {
  constructor(message: string, readonly location?: SourceLocation) {
    super(message);
    this.name = 'InputError';
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
