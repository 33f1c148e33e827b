/**
 * What a script declares it needs (PEP 723 inline metadata) and the state of
 * its environment on the server: `scripts/{id}/dependencies`, served by the
 * scripts client.
 */

/**
 * Where a version's declared dependencies stand for an interpreter:
 * - `none`: it declares none;
 * - `unresolved`: nothing was tried yet for this version;
 * - `resolving`, `installing`: uv is at work (started by a run or a prepare);
 * - `ready`: installed, runs use them;
 * - `failed`: uv's own words are in `message`;
 * - `unsupported`: `requires-python` excludes the interpreter (a run would be
 *   refused); `message` says so.
 */
export type DependencyStateName =
  | 'none'
  | 'unresolved'
  | 'resolving'
  | 'installing'
  | 'ready'
  | 'failed'
  | 'unsupported';

/** A version's declared dependencies, their pins and their state. */
export interface IDependencyState {
  version_id: number;
  /** The interpreter the state is for (by default the script's). */
  interpreter: string;
  /** As declared, e.g. `requests<3`. */
  dependencies: string[];
  /** The declared `requires-python`, e.g. `>=3.11`. */
  requires_python: string | null;
  /** What they resolved to for this kind of interpreter; null until resolved. */
  pins: string[] | null;
  state: DependencyStateName;
  /** uv's words when it failed (several lines), or why the interpreter is unsupported. */
  message: string | null;
}

/** Which version and interpreter: by default the head, and the script's interpreter. */
export interface IDependencyQuery {
  versionId?: number | null;
  interpreter?: string | null;
}
