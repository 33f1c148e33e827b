/**
 * `GET health`: what the server has to work with.
 */
import { IInterpreterInfo } from './interpreters';
import { ApiConnection } from './request';

/**
 * How a runner boxes a run in: `bwrap` (bubblewrap, a user id per run),
 * `bwrap-unprivileged` (bubblewrap in a user namespace), `process` (its own
 * process group only), `docker` (a container), `unavailable` (the runner
 * cannot run anything here).
 */
export type SandboxIsolation =
  'bwrap' | 'bwrap-unprivileged' | 'process' | 'docker' | 'unavailable';

/** One runner's sandbox, as `GET health` reports it. */
export interface ISandboxInfo {
  runner: string;
  isolation: SandboxIsolation;
  /** One line: what a run is boxed in. */
  summary: string;
  /** What a user can do to get a stronger sandbox; empty when nothing. */
  advice: string[];
}

/** What `GET health` reports. */
export interface IHealth {
  version: string;
  database: { backend: string; url: string; ok: boolean; error: string | null };
  runners: string[];
  interpreters: IInterpreterInfo[];
  docker: { available: boolean; version: string | null; error: string | null };
  /** Per runner; absent from servers older than the field. */
  sandboxes?: ISandboxInfo[];
}

/** The server's health. */
export interface IHealthClient {
  /** The health report; a server without the extension is a clear error. */
  report(): Promise<IHealth>;
}

export class HealthClient implements IHealthClient {
  constructor(private readonly _api: ApiConnection) {}

  report(): Promise<IHealth> {
    return this._api.request<IHealth>('health');
  }
}
