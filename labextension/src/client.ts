/**
 * The one typed client of the ScriptForge REST API.
 *
 * Every request goes through `requestAPI`, which throws a
 * `ServerConnection.ResponseError` carrying the server's JSON message.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

/** The API prefix, relative to the server's base URL. */
export const API_NAMESPACE = 'scriptforge/api';

/** A Python interpreter the server found. */
export interface IInterpreterInfo {
  name: string;
  implementation: string;
  version: string;
  /** Its executable, for the local runner. */
  path: string | null;
  /** The Docker image that holds it, for the Docker runner. */
  image: string | null;
}

/** What `GET health` reports. */
export interface IHealth {
  version: string;
  database: { backend: string; url: string; ok: boolean; error: string | null };
  runners: string[];
  interpreters: IInterpreterInfo[];
  docker: { available: boolean; version: string | null; error: string | null };
}

/** A script of the catalog. */
export interface IScript {
  id: number;
  name: string;
  folder: string;
  /** The working copy, relative to the server root: the file to open. */
  path: string;
  description: string;
  tags: string[];
  interpreter: string | null;
  owner: string;
  visibility: 'private' | 'team';
  head_version_id: number | null;
  published_version_id: number | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

/** One page of the catalog. */
export interface IScriptPage {
  items: IScript[];
  next_cursor: string | null;
}

/** Filters of the catalog listing. */
export interface IScriptQuery {
  q?: string;
  folder?: string;
  tag?: string;
  owner?: string;
  limit?: number;
  cursor?: string | null;
}

/** What a new script needs; only the name is required. */
export interface INewScript {
  name: string;
  folder?: string;
  description?: string;
  tags?: string[];
  interpreter?: string | null;
  visibility?: 'private' | 'team';
  content?: string;
}

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
  args: string[];
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
  children?: IRun[];
}

/** What to run: a script (published version by default) or a group. */
export type IRunRequest =
  | {
      script_id: number;
      version_id?: number;
      source?: 'published' | 'head' | 'working_copy';
      interpreter?: string;
      runner?: 'local' | 'docker';
      args?: string[];
      env?: Record<string, string>;
      timeout?: number;
    }
  | { group_id: number };

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

/** One item of a group: a script with optional arguments, interpreter and timeout. */
export interface IGroupItem {
  script_id: number;
  args?: string[];
  interpreter?: string | null;
  timeout_seconds?: number | null;
}

/** A named list of scripts that run together. */
export interface IGroup {
  id: number;
  name: string;
  owner: string;
  mode: 'sequential' | 'parallel';
  max_concurrency: number;
  stop_on_failure: boolean;
  item_timeout_seconds: number | null;
  items: IGroupItem[];
  created_at: string;
  updated_at: string;
}

/** What creating or changing a group takes; `items`, when given, replace all items. */
export type IGroupInput = Partial<
  Omit<IGroup, 'id' | 'owner' | 'created_at' | 'updated_at'>
>;

/** An event of a followed run. */
export type RunEvent =
  | { kind: 'run'; run: IRun }
  | { kind: 'output'; piece: IOutputPiece }
  | { kind: 'end'; run: IRun };

/** The JSON body of an error response. */
interface IErrorBody {
  error?: string;
  message?: string;
}

/**
 * Call the ScriptForge REST API.
 *
 * @param endpoint - path below the API prefix, e.g. `health`
 * @param init - fetch options
 * @param settings - server settings, the default ones if omitted
 */
export async function requestAPI<T>(
  endpoint = '',
  init: RequestInit = {},
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): Promise<T> {
  const url = URLExt.join(settings.baseUrl, API_NAMESPACE, endpoint);
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(url, init, settings);
  } catch (error) {
    throw new ServerConnection.NetworkError(error as TypeError);
  }
  const text = await response.text();
  let data: unknown = text;
  if (text.length > 0) {
    try {
      data = JSON.parse(text);
    } catch {
      // Not JSON: keep the text, the error below says what came back.
    }
  }
  if (!response.ok) {
    if (response.status === 404 && endpoint === 'health') {
      throw new ServerConnection.ResponseError(
        response,
        'The ScriptForge server extension is not running. ' +
          'Check that jupyter_scriptforge is installed and enabled in this Jupyter server.'
      );
    }
    const body = (typeof data === 'object' ? data : {}) as IErrorBody;
    throw new ServerConnection.ResponseError(
      response,
      body.message ?? (typeof data === 'string' ? data : response.statusText)
    );
  }
  return data as T;
}

/** Typed access to each endpoint. */
export class ScriptForgeClient {
  constructor(
    private readonly _settings: ServerConnection.ISettings = ServerConnection.makeSettings()
  ) {}

  /** The server's health report. */
  health(): Promise<IHealth> {
    return requestAPI<IHealth>('health', {}, this._settings);
  }

  /** One page of the scripts this user may see. */
  listScripts(query: IScriptQuery = {}): Promise<IScriptPage> {
    return requestAPI<IScriptPage>(
      withQuery('scripts', { ...query }),
      {},
      this._settings
    );
  }

  /** Create a script; its working copy is written on the server. */
  createScript(script: INewScript): Promise<IScript> {
    return requestAPI<IScript>(
      'scripts',
      { method: 'POST', body: JSON.stringify(script) },
      this._settings
    );
  }

  /** One script, deleted ones included. */
  getScript(id: number): Promise<IScript> {
    return requestAPI<IScript>(`scripts/${id}`, {}, this._settings);
  }

  /** Rename, move, describe, tag, share; `{deleted: false}` restores a deleted script. */
  updateScript(
    id: number,
    changes: Partial<Omit<INewScript, 'content'>> & { deleted?: false }
  ): Promise<IScript> {
    return requestAPI<IScript>(
      `scripts/${id}`,
      { method: 'PATCH', body: JSON.stringify(changes) },
      this._settings
    );
  }

  /** Soft delete: the history stays, and `updateScript(id, {deleted: false})` undoes it. */
  deleteScript(id: number): Promise<IScript> {
    return requestAPI<IScript>(
      `scripts/${id}`,
      { method: 'DELETE' },
      this._settings
    );
  }

  /** Ready a script's working copy for the editor; open the returned `path`. */
  openScript(id: number): Promise<IScript> {
    return requestAPI<IScript>(
      `scripts/${id}/open`,
      { method: 'POST', body: '{}' },
      this._settings
    );
  }

  /** The interpreters scripts can run on; `refresh` looks for them again. */
  async listInterpreters(refresh = false): Promise<IInterpreterInfo[]> {
    const found = await requestAPI<{ interpreters: IInterpreterInfo[] }>(
      refresh ? 'interpreters?refresh=true' : 'interpreters',
      {},
      this._settings
    );
    return found.interpreters;
  }

  /** Start a run; it comes back queued. */
  startRun(request: IRunRequest): Promise<IRun> {
    return requestAPI<IRun>(
      'runs',
      { method: 'POST', body: JSON.stringify(request) },
      this._settings
    );
  }

  /** This user's runs, newest first. */
  async listRuns(query: IRunQuery = {}): Promise<IRun[]> {
    const found = await requestAPI<{ runs: IRun[] }>(
      withQuery('runs', { ...query }),
      {},
      this._settings
    );
    return found.runs;
  }

  /** One run; a group run with its children. */
  getRun(id: number): Promise<IRun> {
    return requestAPI<IRun>(`runs/${id}`, {}, this._settings);
  }

  /** Cancel a run (a group run cancels its children). */
  cancelRun(id: number): Promise<IRun> {
    return requestAPI<IRun>(
      `runs/${id}/cancel`,
      { method: 'POST', body: '{}' },
      this._settings
    );
  }

  /** A run's output from `offset` on. */
  runOutput(id: number, offset = 0): Promise<IRunOutput> {
    return requestAPI<IRunOutput>(
      withQuery(`runs/${id}/output`, { offset }),
      {},
      this._settings
    );
  }

  /**
   * Follow a run live: `onEvent` gets the run, its output as it is written (from
   * `offset`), and its end. Resolves at the end; abort `signal` to stop following.
   */
  async followRun(
    id: number,
    onEvent: (event: RunEvent) => void,
    offset = 0,
    signal?: AbortSignal
  ): Promise<void> {
    const url = URLExt.join(
      this._settings.baseUrl,
      API_NAMESPACE,
      withQuery(`runs/${id}/events`, { offset })
    );
    const response = await ServerConnection.makeRequest(
      url,
      { signal },
      this._settings
    );
    if (!response.ok || response.body === null) {
      throw new ServerConnection.ResponseError(response);
    }
    const reader = response.body
      .pipeThrough(new TextDecoderStream())
      .getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        return;
      }
      buffer += value;
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const event = parseEvent(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        if (event !== null) {
          onEvent(event);
          if (event.kind === 'end') {
            await reader.cancel();
            return;
          }
        }
        end = buffer.indexOf('\n\n');
      }
    }
  }

  /** This user's groups. */
  async listGroups(): Promise<IGroup[]> {
    const found = await requestAPI<{ groups: IGroup[] }>(
      'groups',
      {},
      this._settings
    );
    return found.groups;
  }

  /** Create a group; it needs a name. */
  createGroup(group: IGroupInput & { name: string }): Promise<IGroup> {
    return requestAPI<IGroup>(
      'groups',
      { method: 'POST', body: JSON.stringify(group) },
      this._settings
    );
  }

  /** Change a group. */
  updateGroup(id: number, changes: IGroupInput): Promise<IGroup> {
    return requestAPI<IGroup>(
      `groups/${id}`,
      { method: 'PATCH', body: JSON.stringify(changes) },
      this._settings
    );
  }

  /** Delete a group; its runs stay in the history. */
  async deleteGroup(id: number): Promise<void> {
    await requestAPI<unknown>(
      `groups/${id}`,
      { method: 'DELETE' },
      this._settings
    );
  }
}

/** `path?key=value…`, leaving out the keys without a value. */
function withQuery(
  path: string,
  query: Record<string, string | number | null | undefined>
): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') {
      params.set(key, String(value));
    }
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

/** One server-sent event of a followed run; null for keepalives and unknown events. */
function parseEvent(block: string): RunEvent | null {
  let kind = '';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event: ')) {
      kind = line.slice('event: '.length);
    } else if (line.startsWith('data: ')) {
      data.push(line.slice('data: '.length));
    }
  }
  if (data.length === 0) {
    return null;
  }
  const payload = JSON.parse(data.join('\n'));
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
