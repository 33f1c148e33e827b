/**
 * Runs: start, follow (server-sent events), read the output of, and cancel one
 * execution of a script version or of a group.
 */
import { readEvents } from './events';
import { ParameterValues } from './parameters';
import { ApiConnection, withQuery } from './request';

/** Where a run is: queued and running ones move on, the others are final. */
export type RunStatus =
  | 'queued'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'cancelled'
  | 'timed_out'
  | 'interrupted';

/** One execution of a script version, or of a group (which lists its `children`). */
export interface IRun {
  id: number;
  kind: 'script' | 'group';
  user: string;
  script_id: number | null;
  version_id: number | null;
  group_id: number | null;
  parent_id: number | null;
  position: number | null;
  interpreter: string | null;
  runner: string | null;
  /** The command line the script got (derived from `parameters` when given). */
  args: string[];
  /** The values of the script's parameters the run was given; null for free-form args. */
  parameters: ParameterValues | null;
  env: Record<string, string>;
  timeout_seconds: number | null;
  status: RunStatus;
  exit_code: number | null;
  error: string | null;
  peak_memory_bytes: number | null;
  output_chars: number;
  output_truncated: boolean;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  /** The schedule that started it, if one did. */
  schedule_id: number | null;
  /** Files it kept from its output folder (they may have expired since). */
  artifact_files: number;
  children?: IRun[];
}

/**
 * What to run: a script (published version by default) or a group. A script
 * takes either free-form `args` or the values of its `parameters`, not both.
 */
export type IRunRequest =
  | {
      script_id: number;
      version_id?: number;
      source?: 'published' | 'head' | 'working_copy';
      interpreter?: string;
      runner?: 'local' | 'docker';
      args?: string[];
      /** Values of the parameters the version declares (checked by the server). */
      parameters?: ParameterValues;
      env?: Record<string, string>;
      timeout?: number;
    }
  | { group_id: number };

/** A run request for one script (the other kind names a group). */
export type IScriptRunRequest = Extract<IRunRequest, { script_id: number }>;

/** Filters of the run history. */
export interface IRunQuery {
  script_id?: number;
  group_id?: number;
  status?: RunStatus;
  limit?: number;
  before?: number;
}

/** A piece of a run's output; `offset` counts the characters written before it. */
export interface IOutputPiece {
  offset: number;
  stream: 'stdout' | 'stderr';
  text: string;
}

/** Output from an offset on. */
export interface IRunOutput {
  run_id: number;
  status: RunStatus;
  offset: number;
  next_offset: number;
  pieces: IOutputPiece[];
  complete: boolean;
  truncated: boolean;
}

/** An event of a followed run. */
export type RunEvent =
  | { kind: 'run'; run: IRun }
  | { kind: 'output'; piece: IOutputPiece }
  | { kind: 'end'; run: IRun };

export interface IRunsClient {
  /** Start a run; it comes back queued. */
  start(request: IRunRequest): Promise<IRun>;
  /**
   * Whether run `id` was started through this client (this page), once every
   * start under way has its answer (a quick run's end may come before it).
   */
  startedHere(id: number): Promise<boolean>;
  /** This user's runs, newest first. */
  list(query?: IRunQuery): Promise<IRun[]>;
  /** One run; a group run with its children. */
  get(id: number): Promise<IRun>;
  /** Cancel a run (a group run cancels its children). */
  cancel(id: number): Promise<IRun>;
  /** A run's output from `offset` on. */
  output(id: number, offset?: number): Promise<IRunOutput>;
  /**
   * Follow a run live: `onEvent` gets the run, its output as it is written (from
   * `offset`), and its end. Resolves at the end; abort `signal` to stop following.
   */
  follow(
    id: number,
    onEvent: (event: RunEvent) => void,
    offset?: number,
    signal?: AbortSignal
  ): Promise<void>;
  /**
   * Hear this user's runs end on the server (started anywhere, by a schedule
   * too) until `signal` aborts; the stream is opened again when it ends or
   * breaks.
   */
  followEnded(onEnded: (run: IRun) => void, signal: AbortSignal): Promise<void>;
}

/** How long to wait before listening again after the stream of run ends broke. */
const ENDED_RETRY_MS = 5000;

export class RunsClient implements IRunsClient {
  constructor(private readonly _api: ApiConnection) {}

  private readonly _startedHere = new Set<number>();
  private readonly _starting = new Set<Promise<IRun>>();

  async start(request: IRunRequest): Promise<IRun> {
    const starting = this._api.post<IRun>('runs', request);
    this._starting.add(starting);
    try {
      const run = await starting;
      this._startedHere.add(run.id);
      return run;
    } finally {
      this._starting.delete(starting);
    }
  }

  async startedHere(id: number): Promise<boolean> {
    await Promise.allSettled([...this._starting]);
    return this._startedHere.has(id);
  }

  async list(query: IRunQuery = {}): Promise<IRun[]> {
    const found = await this._api.request<{ runs: IRun[] }>(
      withQuery('runs', { ...query })
    );
    return found.runs;
  }

  get(id: number): Promise<IRun> {
    return this._api.request<IRun>(`runs/${id}`);
  }

  cancel(id: number): Promise<IRun> {
    return this._api.post<IRun>(`runs/${id}/cancel`, {});
  }

  output(id: number, offset = 0): Promise<IRunOutput> {
    return this._api.request<IRunOutput>(
      withQuery(`runs/${id}/output`, { offset })
    );
  }

  async follow(
    id: number,
    onEvent: (event: RunEvent) => void,
    offset = 0,
    signal?: AbortSignal
  ): Promise<void> {
    await readEvents(
      this._api,
      withQuery(`runs/${id}/events`, { offset }),
      { signal },
      (kind, payload) => {
        const event = runEventOf(kind, payload);
        if (event !== null) {
          onEvent(event);
        }
        return event?.kind === 'end';
      }
    );
  }

  async followEnded(
    onEnded: (run: IRun) => void,
    signal: AbortSignal
  ): Promise<void> {
    while (!signal.aborted) {
      try {
        await readEvents(
          this._api,
          'runs/ended',
          { signal },
          (kind, payload) => {
            if (kind === 'ended') {
              onEnded(payload as IRun);
            }
            return false;
          }
        );
      } catch {
        // The server restarted, or the network went: listen again shortly.
        if (signal.aborted) {
          return;
        }
        await pause(ENDED_RETRY_MS, signal);
      }
    }
  }
}

/** A promise that resolves after `ms`, or at once when `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** An event of a followed run; null for events this client does not know. */
function runEventOf(kind: string, payload: unknown): RunEvent | null {
  switch (kind) {
    case 'run':
      return { kind: 'run', run: payload as IRun };
    case 'end':
      return { kind: 'end', run: payload as IRun };
    case 'output':
      return { kind: 'output', piece: payload as IOutputPiece };
    default:
      return null;
  }
}
