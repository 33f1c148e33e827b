/**
 * A script's place in the catalog as a user types it: "folder/sub/name".
 */

/** Split "folder/sub/name" as typed in a dialog. */
export function splitPath(typed: string): { folder: string; name: string } {
  const parts = typed.trim().replace(/\.py$/, '').split('/').filter(Boolean);
  const name = parts.pop() ?? '';
  return { folder: parts.join('/'), name };
}
