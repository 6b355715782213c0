// `t(key, …args)` over a page's table of words (no DOM here, so modules the unit tests load can take a `t`).

export function format(template: string, ...args: (string | number)[]): string {
  return template.replace(/\{(\d+)\}/g, (whole, index: string) => (Number(index) < args.length ? String(args[Number(index)]) : whole));
}

export type Translate<T> = (key: keyof T & string, ...args: (string | number)[]) => string;

/** `t('compoundingCaption', 12)`: the table's template for the key, `{0}`-style placeholders filled. */
export function translator<T extends { [K in keyof T]: string }>(table: T): Translate<T> {
  return (key, ...args) => format(table[key], ...args);
}
