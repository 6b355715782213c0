// A refusal of the core that the user sees (a network that does not fit its data, a learning rate of 0, a landscape
// grid of one point): thrown with its message as data, like an InputError, so a worker can pass it to the host,
// which shows it in the display language. `message` is the English, as the CLI prints it.
import { CORE_MESSAGES, formatCoreText, type CoreArg, type CoreText } from './messages';

export class CoreError extends Error {
  readonly text: CoreText;

  constructor(text: CoreText) {
    super(formatCoreText(text));
    this.name = 'CoreError';
    this.text = text;
  }
}

/** A message as data: `id` one of the catalogue's, `args` an object (what crosses a postMessage is checked). */
export function isCoreText(value: unknown): value is CoreText {
  if (value === null || typeof value !== 'object') return false;
  const { id, args } = value as { id?: unknown; args?: unknown };
  return typeof id === 'string' && Object.hasOwn(CORE_MESSAGES, id) && args !== null && typeof args === 'object';
}

/**
 * What went wrong, for a message's `{reason}`: the error's catalogue message when it carries one (a CoreError, an
 * InputError, an error rebuilt from a pool worker's reply), else its English message (a bug: not catalogued).
 */
export function errorText(error: unknown): CoreArg {
  if (error instanceof Error) {
    const text = (error as { text?: unknown }).text;
    return isCoreText(text) ? text : error.message;
  }
  return String(error);
}
