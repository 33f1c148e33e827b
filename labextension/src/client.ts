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
  database: { backend: string; url: string };
  runners: string[];
  interpreters: IInterpreterInfo[];
  docker: { available: boolean; version: string | null; error: string | null };
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
}
