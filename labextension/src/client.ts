/**
 * The one typed client of the ScriptForge REST API.
 *
 * Every request goes through `requestAPI` (or, where the status or a stream
 * matters, the same `sendRequest` and `errorOf` it uses): an error answer
 * throws a `ScriptForgeResponseError` (a `ServerConnection.ResponseError`)
 * carrying the server's message and its JSON body, and no answer at all a
 * `ServerConnection.NetworkError`.
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

/** A folder of the catalog and how many scripts (this user may see) are directly in it. */
export interface IFolderCount {
  folder: string;
  scripts: number;
}

/** A tag and how many scripts (this user may see) carry it. */
export interface ITagCount {
  tag: string;
  scripts: number;
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

/** One finding of the guardrails: a denied import or call, or a bandit issue. */
export interface IFinding {
  rule: string;
  /** The rule's name, e.g. `denied-import`. */
  name: string;
  /** Whether this finding alone makes the verdict `blocked`. */
  blocks: boolean;
  source: 'policy' | 'bandit';
  severity: string;
  confidence?: string | null;
  line: number;
  column: number;
  message: string;
  code: string;
}

/** What the guardrails say about some code. */
export interface IAnalysis {
  /** `blocked` code is not offered for a one-click run. */
  verdict: 'ok' | 'warn' | 'blocked';
  findings: IFinding[];
  /**
   * Whether the server holds this exact code: its runs are refused until an
   * admin overrides (only on code the assistant produced or a user kept).
   */
  held?: boolean;
}

/** Who the user is to ScriptForge. */
export interface IMe {
  name: string;
  /** May override the guardrails and read the audit log. */
  admin: boolean;
}

/** What the assistant is asked to do. */
export type AssistantRequest =
  | { action: 'generate'; prompt: string; interpreter?: string | null }
  | {
      action: 'edit';
      script_id: number;
      instruction: string;
      content?: string;
    }
  | {
      action: 'explain';
      content: string;
      selection?: string;
      /** What the reader wants to know, if anything in particular. */
      question?: string;
    }
  | { action: 'fix'; run_id: number };

/** The end of an assistant answer. */
export interface IAssistantResult {
  /** The whole answer as the model wrote it. */
  text: string;
  /** The script it proposes, for generate, edit and fix. */
  code?: string | null;
  /** The proposal as a unified diff against the script, for edit and fix. */
  diff?: string | null;
  model?: string;
  analysis?: IAnalysis | null;
}

/** An event of an assistant answer. */
export type AssistantEvent =
  | { kind: 'token'; text: string }
  | { kind: 'done'; result: IAssistantResult }
  | { kind: 'error'; error?: string; message?: string };

/** The JSON body of an error response. */
export interface IErrorBody {
  error?: string;
  message?: string;
  [key: string]: unknown;
}

/** A version (immutable snapshot) of a script, without its content. */
export interface IVersion {
  id: number;
  script_id: number;
  /** 1 for the first version of a script. */
  seq: number;
  sha256: string;
  size: number;
  parent_id: number | null;
  restored_from_id: number | null;
  author: string;
  created_at: string;
  message: string;
  labels: string[];
}

/** A version with its content. */
export interface IVersionContent extends IVersion {
  content: string;
}

/** What saving a version takes. */
export interface INewVersion {
  content: string;
  message?: string;
  /** The head this edit started from; a stale one is a 409. */
  base_version_id?: number | null;
}

/** What a publish answers. */
export interface IPublished {
  script: IScript;
  published: IVersion;
  previous_version_id: number | null;
}

/** The body of a 409 on publish: someone else published first. */
export interface IPublishConflict extends IErrorBody {
  published: IVersion | null;
  requested: IVersion;
}

/**
 * An error answer of the ScriptForge API; `body` is the server's JSON (for a
 * conflict it carries the versions involved).
 */
export class ScriptForgeResponseError extends ServerConnection.ResponseError {
  constructor(
    response: Response,
    message: string,
    readonly body: IErrorBody
  ) {
    super(response, message);
  }

  /** The HTTP status. */
  get status(): number {
    return this.response.status;
  }
}

/** The conflict body if `error` is a 409 on publish, else null. */
export function publishConflictOf(error: unknown): IPublishConflict | null {
  if (
    error instanceof ScriptForgeResponseError &&
    error.status === 409 &&
    typeof error.body.requested === 'object' &&
    error.body.requested !== null
  ) {
    return error.body as IPublishConflict;
  }
  return null;
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
  const response = await sendRequest(endpoint, init, settings);
  const data = await bodyOf(response);
  if (!response.ok) {
    if (response.status === 404 && endpoint === 'health') {
      throw new ServerConnection.ResponseError(
        response,
        'The ScriptForge server extension is not running. ' +
          'Check that jupyter_scriptforge is installed and enabled in this Jupyter server.'
      );
    }
    throw errorOf(response, data);
  }
  return data as T;
}

/**
 * Send a request to the API; a request that never got an answer throws a
 * `ServerConnection.NetworkError`. The caller reads the response.
 */
async function sendRequest(
  endpoint: string,
  init: RequestInit,
  settings: ServerConnection.ISettings
): Promise<Response> {
  const url = URLExt.join(settings.baseUrl, API_NAMESPACE, endpoint);
  try {
    return await ServerConnection.makeRequest(url, init, settings);
  } catch (error) {
    throw new ServerConnection.NetworkError(error as TypeError);
  }
}

/** A response's body: its JSON when it parses, else its text. */
async function bodyOf(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text.length > 0) {
    try {
      return JSON.parse(text);
    } catch {
      // Not JSON: keep the text, an error then says what came back.
    }
  }
  return text;
}

/** The error of a failed response, with the server's message and JSON body. */
function errorOf(response: Response, data: unknown): ScriptForgeResponseError {
  const body = (
    typeof data === 'object' && data !== null ? data : {}
  ) as IErrorBody;
  return new ScriptForgeResponseError(
    response,
    body.message ??
      (typeof data === 'string' && data ? data : response.statusText),
    body
  );
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

  /** Every folder holding scripts this user may see, with its count; "" is the top. */
  async listFolders(): Promise<IFolderCount[]> {
    const found = await requestAPI<{ folders: IFolderCount[] }>(
      'folders',
      {},
      this._settings
    );
    return found.folders;
  }

  /** Every tag on scripts this user may see, with its count. */
  async listTags(): Promise<ITagCount[]> {
    const found = await requestAPI<{ tags: ITagCount[] }>(
      'tags',
      {},
      this._settings
    );
    return found.tags;
  }

  /**
   * The script whose working copy is the file at `path` (as JupyterLab names it,
   * relative to the server root), or null when the file is not a script.
   */
  async scriptAtPath(path: string): Promise<IScript | null> {
    const page = await requestAPI<IScriptPage>(
      withQuery('scripts', { path, limit: 1 }),
      {},
      this._settings
    );
    return page.items[0] ?? null;
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

  /** A script's history, newest first; `before` pages on to smaller seqs. */
  async listVersions(
    scriptId: number,
    query: { limit?: number; before?: number } = {}
  ): Promise<IVersion[]> {
    const found = await requestAPI<{ items: IVersion[] }>(
      withQuery(`scripts/${scriptId}/versions`, { ...query }),
      {},
      this._settings
    );
    return found.items;
  }

  /** One version with its content. */
  getVersion(id: number): Promise<IVersionContent> {
    return requestAPI<IVersionContent>(`versions/${id}`, {}, this._settings);
  }

  /**
   * Record content as a new version; `created` is false (and `version` the head)
   * when the content equals the head's.
   */
  async saveVersion(
    scriptId: number,
    version: INewVersion
  ): Promise<{ version: IVersion; created: boolean }> {
    // Not through requestAPI: 201 and 200 mean different things.
    const response = await sendRequest(
      `scripts/${scriptId}/versions`,
      { method: 'POST', body: JSON.stringify(version) },
      this._settings
    );
    const data = await bodyOf(response);
    if (!response.ok) {
      throw errorOf(response, data);
    }
    return { version: data as IVersion, created: response.status === 201 };
  }

  /** A new head with an old version's content. */
  restoreVersion(scriptId: number, versionId: number): Promise<IVersion> {
    return requestAPI<IVersion>(
      `scripts/${scriptId}/restore`,
      { method: 'POST', body: JSON.stringify({ version_id: versionId }) },
      this._settings
    );
  }

  /**
   * Publish a version. `baseVersionId` is the published version the caller saw:
   * if someone published since, this throws a 409 (see `publishConflictOf`).
   */
  publish(
    scriptId: number,
    versionId: number,
    baseVersionId: number | null
  ): Promise<IPublished> {
    return requestAPI<IPublished>(
      `scripts/${scriptId}/publish`,
      {
        method: 'POST',
        body: JSON.stringify({
          version_id: versionId,
          base_version_id: baseVersionId
        })
      },
      this._settings
    );
  }

  /** Label a version (a label names one version per script). */
  addLabel(versionId: number, label: string): Promise<IVersion> {
    return requestAPI<IVersion>(
      `versions/${versionId}/labels`,
      { method: 'POST', body: JSON.stringify({ label }) },
      this._settings
    );
  }

  /** Remove a label from a version. */
  removeLabel(versionId: number, label: string): Promise<IVersion> {
    return requestAPI<IVersion>(
      `versions/${versionId}/labels/${encodeURIComponent(label)}`,
      { method: 'DELETE' },
      this._settings
    );
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
    await readEvents(
      withQuery(`runs/${id}/events`, { offset }),
      { signal },
      this._settings,
      (kind, payload) => {
        const event = runEventOf(kind, payload);
        if (event !== null) {
          onEvent(event);
        }
        return event?.kind === 'end';
      }
    );
  }

  /**
   * Ask the assistant: `onEvent` gets the answer's text as the model writes it,
   * then its end (with code, diff and guardrail report when there are). Resolves
   * at the end; abort `signal` to stop.
   */
  async askAssistant(
    request: AssistantRequest,
    onEvent: (event: AssistantEvent) => void,
    signal?: AbortSignal
  ): Promise<void> {
    const { action, ...body } = request;
    await readEvents(
      `assistant/${action}`,
      { method: 'POST', body: JSON.stringify(body), signal },
      this._settings,
      (kind, payload) => {
        const event = assistantEventOf(kind, payload);
        if (event !== null) {
          onEvent(event);
        }
        return event !== null && event.kind !== 'token';
      }
    );
  }

  /** Record an accepted assistant edit as a version authored "assistant for <user>". */
  acceptAssistantEdit(accepted: {
    script_id: number;
    content: string;
    base_version_id: number;
    message?: string;
  }): Promise<IVersion & { analysis: IAnalysis | null }> {
    return requestAPI(
      'assistant/accept',
      { method: 'POST', body: JSON.stringify(accepted) },
      this._settings
    );
  }

  /**
   * A new script of generated code, authored "assistant for <user>"; the
   * server checks the code as kept and holds it if the guardrails block it.
   */
  createAssistantScript(
    script: INewScript & { content: string }
  ): Promise<IScript & { analysis: IAnalysis | null }> {
    return requestAPI(
      'assistant/create',
      { method: 'POST', body: JSON.stringify(script) },
      this._settings
    );
  }

  /** Who the user is, to offer only what they may do. */
  me(): Promise<IMe> {
    return requestAPI<IMe>('me', {}, this._settings);
  }

  /**
   * Let code the guardrails block be run anyway: only for a ScriptForge admin
   * (else a 403), and recorded in the audit log with `reason`.
   */
  overrideGuardrails(
    content: string,
    reason: string
  ): Promise<{ allowed: boolean; analysis: IAnalysis }> {
    return requestAPI(
      'analyze/override',
      { method: 'POST', body: JSON.stringify({ content, reason }) },
      this._settings
    );
  }

  /**
   * The guardrails' report on any code; given the `original` it changes, what
   * was in the original already does not block.
   */
  analyze(content: string, original?: string): Promise<IAnalysis> {
    return requestAPI<IAnalysis>(
      'analyze',
      {
        method: 'POST',
        body: JSON.stringify(
          original === undefined ? { content } : { content, original }
        )
      },
      this._settings
    );
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

  /** One group with its items. */
  getGroup(id: number): Promise<IGroup> {
    return requestAPI<IGroup>(`groups/${id}`, {}, this._settings);
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

/**
 * POST or GET an endpoint that answers with server-sent events, and hand each
 * event's name and JSON data to `onEvent` as it arrives, until the stream ends
 * or `onEvent` returns true. Keepalives (comments) are skipped.
 */
async function readEvents(
  endpoint: string,
  init: RequestInit,
  settings: ServerConnection.ISettings,
  onEvent: (kind: string, payload: unknown) => boolean
): Promise<void> {
  // Not through requestAPI: the body is a stream, read as it comes.
  const response = await sendRequest(endpoint, init, settings);
  if (!response.ok) {
    throw errorOf(response, await bodyOf(response));
  }
  if (response.body === null) {
    throw new ServerConnection.ResponseError(
      response,
      'The server sent no events.'
    );
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      return;
    }
    buffer += value;
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const event = parseEventBlock(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
      if (event !== null && onEvent(event.kind, event.payload)) {
        await reader.cancel();
        return;
      }
      end = buffer.indexOf('\n\n');
    }
  }
}

/** The name and JSON data of one server-sent event; null for a keepalive. */
function parseEventBlock(
  block: string
): { kind: string; payload: unknown } | null {
  let kind = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event: ')) {
      kind = line.slice('event: '.length);
    } else if (line.startsWith('data: ')) {
      data.push(line.slice('data: '.length));
    }
  }
  return data.length === 0
    ? null
    : { kind, payload: JSON.parse(data.join('\n')) };
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

/** An event of an assistant answer; null for events this client does not know. */
function assistantEventOf(
  kind: string,
  payload: unknown
): AssistantEvent | null {
  switch (kind) {
    case 'token':
      return { kind: 'token', text: (payload as { text: string }).text };
    case 'done':
      return { kind: 'done', result: payload as IAssistantResult };
    case 'error':
      return { kind: 'error', ...(payload as IErrorBody) };
    default:
      return null;
  }
}
