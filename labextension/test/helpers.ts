/**
 * What the unit tests share: the untranslated strings (as a user of the default
 * language reads them) and records as the server sends them.
 */
import { ServerConnection } from '@jupyterlab/services';
import { nullTranslator } from '@jupyterlab/translation';

import { IRun, IScript, IVersion } from '../src/client';

/** ScriptForge's strings, untranslated. */
export const trans = nullTranslator.load('jupyter_scriptforge');

/**
 * Settings of a server that answers `body` to every request, and the requests
 * it was sent (`METHOD url body`, without JupyterLab's cache-busting stamp).
 */
export function answering(body: unknown): {
  settings: ServerConnection.ISettings;
  requests: string[];
} {
  const requests: string[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const url = request.url.replace(/[?&]\d+$/, '');
    requests.push(`${request.method} ${url} ${await request.text()}`);
    return new Response(JSON.stringify(body), {
      status: 200,
      headers: { 'Content-Type': 'application/json' }
    });
  };
  const settings = ServerConnection.makeSettings({
    baseUrl: 'http://localhost:8888/',
    fetch: fetch as typeof globalThis.fetch
  });
  return { settings, requests };
}

let ids = 0;

/** A script of the catalog, with the fields a test names. */
export function aScript(fields: Partial<IScript> = {}): IScript {
  const id = fields.id ?? ++ids;
  const name = fields.name ?? `script_${id}`;
  const folder = fields.folder ?? '';
  return {
    id,
    name,
    folder,
    path: `scripts/${folder ? `${folder}/` : ''}${name}.py`,
    description: '',
    tags: [],
    interpreter: null,
    owner: 'alice',
    visibility: 'private',
    head_version_id: null,
    published_version_id: null,
    created_at: '2024-05-01T10:00:00Z',
    updated_at: '2024-05-01T10:00:00Z',
    deleted_at: null,
    ...fields
  };
}

/** A run, finished successfully unless a test says otherwise. */
export function aRun(fields: Partial<IRun> = {}): IRun {
  return {
    id: fields.id ?? ++ids,
    kind: 'script',
    user: 'alice',
    script_id: 1,
    version_id: 2,
    group_id: null,
    parent_id: null,
    position: null,
    interpreter: null,
    runner: null,
    args: [],
    parameters: null,
    env: {},
    timeout_seconds: null,
    schedule_id: null,
    artifact_files: 0,
    status: 'succeeded',
    exit_code: 0,
    error: null,
    peak_memory_bytes: null,
    output_chars: 0,
    output_truncated: false,
    created_at: '2024-05-01T10:00:00Z',
    started_at: '2024-05-01T10:00:01Z',
    finished_at: '2024-05-01T10:00:03Z',
    ...fields
  };
}

/** A version of a script. */
export function aVersion(fields: Partial<IVersion> = {}): IVersion {
  return {
    id: fields.id ?? ++ids,
    script_id: 1,
    seq: 1,
    sha256: '0'.repeat(64),
    size: 10,
    parent_id: null,
    restored_from_id: null,
    author: 'alice',
    created_at: '2024-05-01T10:00:00Z',
    message: '',
    labels: [],
    ...fields
  };
}

/** An error answer of the server with `status`. */
export function httpError(status: number, body: object = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' }
  });
}
