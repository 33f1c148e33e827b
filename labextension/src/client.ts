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
  path: string;
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
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== null && value !== '') {
        params.set(key, String(value));
      }
    }
    const search = params.toString();
    return requestAPI<IScriptPage>(
      search ? `scripts?${search}` : 'scripts',
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
}
