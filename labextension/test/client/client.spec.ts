import { ServerConnection } from '@jupyterlab/services';
import { describe, expect, it } from 'vitest';

import {
  hasParameters,
  parameterErrorOf,
  publishConflictOf,
  RunEvent,
  ScriptForgeClient,
  ScriptForgeResponseError
} from '../../src/client';
import { aVersion } from '../helpers';

interface ISent {
  url: string;
  method: string;
  body: string;
}

/** A client of a server at `baseUrl` that answers with `answer`. */
function clientOf(
  answer: (sent: ISent) => Response,
  baseUrl = 'http://localhost:8888/'
): { client: ScriptForgeClient; sent: ISent[] } {
  const sent: ISent[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const one = {
      // JupyterLab adds a timestamp to GET requests against caches.
      url: request.url.replace(/[?&]\d+$/, ''),
      method: request.method,
      body: await request.text()
    };
    sent.push(one);
    return answer(one);
  };
  const settings = ServerConnection.makeSettings({
    baseUrl,
    token: 'secret',
    fetch: fetch as typeof globalThis.fetch
  });
  return { client: new ScriptForgeClient(settings), sent };
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    statusText: status === 200 ? 'OK' : 'Error',
    headers: { 'Content-Type': 'application/json' }
  });
}

describe('the REST client', () => {
  it('talks to the server of its settings: another base URL is one change', async () => {
    const { client, sent } = clientOf(
      () => json(200, { items: [], next_cursor: null }),
      'https://hub.example.org/user/alice/'
    );

    await client.scripts.list({ q: 'sales', folder: '', cursor: null });

    expect(sent.map(s => s.url)).toEqual([
      'https://hub.example.org/user/alice/scriptforge/api/scripts?q=sales'
    ]);
  });

  it('sends what it changes as JSON, with the method of the change', async () => {
    const { client, sent } = clientOf(() => json(200, {}));

    await client.scripts.update(4, { visibility: 'team' });
    await client.versions.removeLabel(9, 'v1/final');

    expect(sent).toEqual([
      {
        url: 'http://localhost:8888/scriptforge/api/scripts/4',
        method: 'PATCH',
        body: '{"visibility":"team"}'
      },
      {
        url: 'http://localhost:8888/scriptforge/api/versions/9/labels/v1%2Ffinal',
        method: 'DELETE',
        body: ''
      }
    ]);
  });

  it('tells a new snapshot from content equal to the head', async () => {
    const version = aVersion({ seq: 3 });
    const statuses = [201, 200];
    const { client } = clientOf(() => json(statuses.shift() ?? 200, version));

    const first = await client.versions.save(1, { content: 'x = 1\n' });
    const again = await client.versions.save(1, { content: 'x = 1\n' });

    expect([first.created, again.created]).toEqual([true, false]);
    expect(again.version.seq).toBe(3);
  });

  it('throws the server’s message and body on an error answer', async () => {
    const { client } = clientOf(() =>
      json(400, { error: 'bad_name', message: 'A script needs a name.' })
    );

    const error = await client.scripts
      .create({ name: '' })
      .catch((reason: unknown) => reason);

    expect(error).toBeInstanceOf(ScriptForgeResponseError);
    expect(error).toMatchObject({
      message: 'A script needs a name.',
      status: 400,
      body: { error: 'bad_name' }
    });
  });

  it('reads the parameters of a version, the head when none is named', async () => {
    const found = {
      script_id: 4,
      version_id: 7,
      style: 'argparse',
      schema: {
        type: 'object',
        properties: { count: { title: 'count', type: 'integer' } },
        required: [],
        additionalProperties: false
      }
    };
    const { client, sent } = clientOf(() => json(200, found));

    const ofVersion = await client.scripts.parameters(4, 7);
    await client.scripts.parameters(4);
    await client.scripts.parameters(4, null);
    await client.scripts.parameters(4, 'working_copy');

    expect(sent.map(s => s.url)).toEqual([
      'http://localhost:8888/scriptforge/api/scripts/4/parameters?version=7',
      'http://localhost:8888/scriptforge/api/scripts/4/parameters',
      'http://localhost:8888/scriptforge/api/scripts/4/parameters',
      'http://localhost:8888/scriptforge/api/scripts/4/parameters?source=working_copy'
    ]);
    expect(hasParameters(ofVersion)).toBe(true);
    expect(hasParameters({ ...ofVersion, style: null, schema: null })).toBe(
      false
    );
  });

  it('names the parameter whose value the server refused', async () => {
    const { client, sent } = clientOf(() =>
      json(400, {
        error: 'bad_request',
        message: "Parameter 'count': 'x' is not of type 'integer'",
        field: 'count'
      })
    );

    const error = await client.runs
      .start({ script_id: 4, parameters: { count: 'x' } })
      .catch((reason: unknown) => reason);

    expect(sent[0].body).toBe('{"script_id":4,"parameters":{"count":"x"}}');
    expect(parameterErrorOf(error)).toEqual({
      field: 'count',
      message: "Parameter 'count': 'x' is not of type 'integer'"
    });
    expect(parameterErrorOf(new Error('offline'))).toBeNull();
  });

  it('says what came back when an error answer is no JSON', async () => {
    const { client } = clientOf(
      () => new Response('Bad Gateway from the proxy', { status: 502 })
    );

    await expect(client.runs.get(1)).rejects.toThrow(
      'Bad Gateway from the proxy'
    );
  });

  it('says the server extension is missing when its health is not found', async () => {
    const { client } = clientOf(() => new Response('', { status: 404 }));

    await expect(client.health.report()).rejects.toThrow(
      'The ScriptForge server extension is not running.'
    );
  });

  it('hands over the versions of a publish conflict', async () => {
    const published = aVersion({ seq: 4, author: 'bob' });
    const requested = aVersion({ seq: 5 });
    const { client } = clientOf(() =>
      json(409, { error: 'conflict', message: 'Stale', published, requested })
    );

    const error = await client.versions
      .publish(1, requested.id, 2)
      .catch((reason: unknown) => reason);

    expect(publishConflictOf(error)).toMatchObject({ published, requested });
    expect(publishConflictOf(new Error('Stale'))).toBeNull();
  });

  it('follows a run from an offset until its end, as the events arrive', async () => {
    const chunks = [
      'event: run\ndata: {"id": 1, "status": "running"}\n\n: keepalive\n\nevent: out',
      'put\ndata: {"offset": 3, "stream": "stdout", "text": "hi"}\n\n',
      'event: end\ndata: {"id": 1, "status": "succeeded"}\n\n',
      'event: output\ndata: {"offset": 5, "stream": "stdout", "text": "late"}\n\n'
    ];
    const { client, sent } = clientOf(
      () =>
        new Response(
          new ReadableStream({
            start(controller) {
              for (const chunk of chunks) {
                controller.enqueue(new TextEncoder().encode(chunk));
              }
              controller.close();
            }
          }),
          { headers: { 'Content-Type': 'text/event-stream' } }
        )
    );
    const events: RunEvent[] = [];

    await client.runs.follow(1, event => events.push(event), 3);

    expect(sent[0].url).toBe(
      'http://localhost:8888/scriptforge/api/runs/1/events?offset=3'
    );
    expect(events.map(event => event.kind)).toEqual(['run', 'output', 'end']);
    expect(events[1]).toEqual({
      kind: 'output',
      piece: { offset: 3, stream: 'stdout', text: 'hi' }
    });
  });
});
