/**
 * A group item's arguments as one text field shows them, and back.
 */

/**
 * Split arguments typed in one field the way a shell would: on whitespace, with
 * single or double quotes keeping spaces and a backslash escaping one character.
 */
export function splitArgs(typed: string): string[] {
  const args: string[] = [];
  let current = '';
  let started = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < typed.length; i++) {
    const char = typed[i];
    if (quote) {
      if (char === quote) {
        quote = null;
      } else if (char === '\\' && quote === '"' && i + 1 < typed.length) {
        current += typed[++i];
      } else {
        current += char;
      }
    } else if (char === '"' || char === "'") {
      quote = char;
      started = true;
    } else if (char === '\\' && i + 1 < typed.length) {
      current += typed[++i];
      started = true;
    } else if (/\s/.test(char)) {
      if (started) {
        args.push(current);
        current = '';
        started = false;
      }
    } else {
      current += char;
      started = true;
    }
  }
  if (started) {
    args.push(current);
  }
  return args;
}

/** The inverse of `splitArgs`: arguments as one field shows them. */
export function joinArgs(args: string[]): string {
  return args
    .map(arg =>
      arg === '' || /[\s"'\\]/.test(arg)
        ? `'${arg.replace(/'/g, `'"'"'`)}'`
        : arg
    )
    .join(' ');
}
