/**
 * The errors of the ScriptForge API: an error answer throws a
 * `ScriptForgeResponseError` (a `ServerConnection.ResponseError`) carrying the
 * server's message and its JSON body; no answer at all, a
 * `ServerConnection.NetworkError`.
 */
import { ServerConnection } from '@jupyterlab/services';

/** The JSON body of an error response: `{"error": code, "message": text}`. */
export interface IErrorBody {
  error?: string;
  message?: string;
  [key: string]: unknown;
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

/** The error of a failed response, with the server's message and JSON body. */
export function errorOf(
  response: Response,
  data: unknown
): ScriptForgeResponseError {
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

/** The HTTP status of an error answer of the server; null for any other error. */
export function statusOf(error: unknown): number | null {
  return error instanceof ServerConnection.ResponseError
    ? error.response.status
    : null;
}
