/**
 * The values of a script's parameters as the views show them: `name=value`
 * pairs, in full (a run's detail) or cut to fit (a history row, a group item).
 */
import { ParameterValues } from '../client';

/** How many characters a compact line of values takes at most. */
export const COMPACT_CHARS = 60;

/** A text a shell would read as one word stays bare; any other is quoted. */
const BARE = /^[^\s"'=,[\]{}\\]+$/;

/** One value: `3`, `true`, `report`, `"two words"`, `[a, b]`. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') {
    return BARE.test(value) ? value : JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return `[${value.map(formatValue).join(', ')}]`;
  }
  if (value === null || value === undefined) {
    return 'null';
  }
  if (typeof value === 'object') {
    return JSON.stringify(value);
  }
  return String(value);
}

/** `name=value` for each value given, in the order given (the form's order). */
export function parameterPairs(values: ParameterValues): string[] {
  return Object.entries(values)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `${name}=${formatValue(value)}`);
}

/**
 * The pairs on one line; past `maxChars`, the pairs that fit and "…" (a first
 * pair longer than that is cut).
 */
export function formatParameters(
  values: ParameterValues,
  maxChars = Infinity
): string {
  const pairs = parameterPairs(values);
  const full = pairs.join(' ');
  if (full.length <= maxChars) {
    return full;
  }
  let shown = '';
  for (const pair of pairs) {
    const next = shown ? `${shown} ${pair}` : pair;
    // Room is kept for the " …" that says more follows.
    if (next.length + 2 > maxChars) {
      break;
    }
    shown = next;
  }
  return shown ? `${shown} …` : `${full.slice(0, Math.max(0, maxChars - 1))}…`;
}
