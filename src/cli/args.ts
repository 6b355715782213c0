// One argument parser for every subcommand: a table of options per command, read by Node's `util.parseArgs`, with
// the help text made from the same table. Mistakes become InputErrors a person can act on: an unknown option gets
// the closest known one ("did you mean --epochs?"), a missing value says which option wants it.
import { parseArgs } from 'node:util';
import { closestName } from '../core/didYouMean';
import { InputError } from '../core/inputError';

export interface OptionSpec {
  /** The long name without dashes, e.g. `row-limit`. */
  name: string;
  /** The value's placeholder in the help (`FILE`, `N`); a flag without a value has none. */
  value?: string;
  help: string;
}

export interface CommandSpec {
  /** `gradscope NAME`. */
  name: string;
  /** What follows the command name in the usage line, e.g. `[CONFIG.nn.json] [options]`. */
  synopsis: string;
  /** One paragraph on what the command does. */
  description: string;
  /** Positional arguments, for the help only (the command checks their number). */
  positionals?: { name: string; help: string }[];
  options: OptionSpec[];
  /** Text after the options (exit codes, examples). */
  epilog?: string;
}

export interface ParsedCommandLine {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  /** `--help` or `-h` was given: print `commandHelp(spec)` and do nothing else. */
  help: boolean;
}

const HELP_OPTION: OptionSpec = { name: 'help', help: 'show this help' };

export function commandHelp(spec: CommandSpec): string {
  const rows: [string, string][] = [
    ...(spec.positionals ?? []).map(p => [p.name, p.help] as [string, string]),
    ...[...spec.options, HELP_OPTION].map(o => [`--${o.name}${o.value ? ` ${o.value}` : ''}`, o.help] as [string, string]),
  ];
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  const lines = [
    `Usage: gradscope ${spec.name} ${spec.synopsis}`.trimEnd(),
    '',
    spec.description,
    '',
    ...rows.map(([left, help]) => `  ${left.padEnd(width)}${help}`),
  ];
  if (spec.epilog) lines.push('', spec.epilog);
  return lines.join('\n');
}

/** A hint that ends every parse error: where the options are listed. */
function helpHint(spec: CommandSpec): string {
  return `run 'gradscope ${spec.name} --help' for its options`;
}

/**
 * `--seed -5`: parseArgs takes any value starting with '-' for an option (an "ambiguous" value); a negative number
 * after an option that takes a value is always the value, so it is joined to it (`--seed=-5`) first.
 */
function joinNegativeNumbers(args: readonly string[], takesValue: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      out.push(...args.slice(i));
      break;
    }
    const next = args[i + 1];
    if (arg.startsWith('--') && !arg.includes('=') && takesValue.has(arg.slice(2)) && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

export function parseCommandLine(spec: CommandSpec, args: readonly string[]): ParsedCommandLine {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const o of spec.options) options[o.name] = { type: o.value ? 'string' : 'boolean' };
  const takesValue = new Set(spec.options.filter(o => o.value).map(o => o.name));
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: joinNegativeNumbers(args, takesValue), options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new InputError(describeParseError(error, spec));
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  return { values, positionals: parsed.positionals, help: values.help === true };
}

function describeParseError(error: unknown, spec: CommandSpec): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const quoted = /'(-[^' <]*)/.exec(message)?.[1] ?? '';
  const flag = quoted.split('=')[0];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const names = spec.options.map(o => o.name).concat('help');
      // cap what is compared: an absurdly long word cannot be a typo of a short option name
      const guess = flag.startsWith('--') && flag.length < 64 ? closestName(flag.slice(2), names) : undefined;
      return `unknown option '${flag}' for 'gradscope ${spec.name}'${guess ? ` — did you mean --${guess}?` : ''} (${helpHint(spec)})`;
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const option = spec.options.find(o => `--${o.name}` === flag);
      if (option && !option.value) return `${flag} takes no value (${helpHint(spec)})`;
      return `${flag} needs a value${option?.value ? ` (${option.value})` : ''}`;
    }
    default:
      return `${message} (${helpHint(spec)})`;
  }
}

/** A value's text as a whole number in [min, max], or an InputError naming the option. */
export function wholeNumber(text: string, flag: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(text);
  if (!/^[+-]?\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
    throw new InputError(`${flag} must be a whole number ${range}, got '${text}'`);
  }
  return n;
}

/** The string value of `name`, if given. */
export function stringValue(parsed: ParsedCommandLine, name: string): string | undefined {
  const v = parsed.values[name];
  return typeof v === 'string' ? v : undefined;
}

/** At most `max` positionals (named in the error by `what`). */
export function positionalsAtMost(parsed: ParsedCommandLine, max: number, what: string): string[] {
  if (parsed.positionals.length > max) {
    throw new InputError(`only ${max === 1 ? 'one' : max} ${what}, got ${parsed.positionals.map(p => `'${p}'`).join(' and ')}`);
  }
  return parsed.positionals;
}
