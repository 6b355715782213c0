// `t(key, …args)` over a page's table of words (no DOM here, so modules the unit tests load can take a `t`).

export function format(template: string, ...args: (string | number)[]): string {
  return template.replace(/\{(\d+)\}/g, (whole, index: string) => (Number(index) < args.length ? String(args[Number(index)]) : whole));
}

/** The keys of a table whose entries are words (a table may also carry a lookup, such as `activationWords`). */
export type WordKey<T> = { [K in keyof T]: T[K] extends string ? K : never }[keyof T] & string;

export type Translate<T> = (key: WordKey<T>, ...args: (string | number)[]) => string;

/** `t('compoundingCaption', 12)`: the table's template for the key, `{0}`-style placeholders filled. */
export function translator<T extends object>(table: T): Translate<T> {
  return (key, ...args) => format(table[key] as string, ...args);
}

/** `{name}`-style placeholders (the core's catalogue templates) filled from `args`; unknown ones stay. */
export function formatNamed(template: string, args: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in args ? String(args[name]) : whole));
}
