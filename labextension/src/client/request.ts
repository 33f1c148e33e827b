/**
 * The one way to the ScriptForge REST API: `requestAPI`, and the connection the
 * resource clients share (the server settings: base URL, token, fetch).
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import { errorOf } from './errors';

/** The API prefix, relative to the server's base URL. */
export const API_NAMESPACE = 'scriptforge/api';

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
export async function sendRequest(
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
export async function bodyOf(response: Response): Promise<unknown> {
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

/** `path?key=value…`, leaving out the keys without a value. */
export function withQuery(
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

/** The server the resource clients talk to: one set of settings for all of them. */
export class ApiConnection {
  constructor(
    readonly settings: ServerConnection.ISettings = ServerConnection.makeSettings()
  ) {}

  /** `requestAPI` on this server. */
  request<T>(endpoint: string, init: RequestInit = {}): Promise<T> {
    return requestAPI<T>(endpoint, init, this.settings);
  }

  /**
   * The response of a request that succeeded, unread, where the status or a
   * stream matters; an error answer throws as `request` does.
   */
  async send(endpoint: string, init: RequestInit = {}): Promise<Response> {
    const response = await sendRequest(endpoint, init, this.settings);
    if (!response.ok) {
      throw errorOf(response, await bodyOf(response));
    }
    return response;
  }

  /** POST a JSON body. */
  post<T>(endpoint: string, body: unknown): Promise<T> {
    return this.request<T>(endpoint, {
      method: 'POST',
      body: JSON.stringify(body)
    });
  }
}
