/**
 * Server-sent events: the endpoints that stream (a run's output, an assistant's
 * answer) answer with `event:`/`data:` blocks, read here as they arrive.
 */
import { ServerConnection } from '@jupyterlab/services';

import { ApiConnection } from './request';

/** One event: its name (`message` when unnamed) and its JSON data. */
export interface IServerEvent {
  kind: string;
  payload: unknown;
}

/**
 * Turns the text of a stream, in chunks as the network hands them over, into
 * events. A block split across chunks waits for its end; keepalives (comments)
 * make no event.
 */
export class EventStreamParser {
  /** The events completed by `chunk`, in order, each parsed as it is taken. */
  *push(chunk: string): Generator<IServerEvent, void, undefined> {
    this._buffer += chunk;
    let end = this._buffer.indexOf('\n\n');
    while (end >= 0) {
      const event = parseEventBlock(this._buffer.slice(0, end));
      this._buffer = this._buffer.slice(end + 2);
      if (event !== null) {
        yield event;
      }
      end = this._buffer.indexOf('\n\n');
    }
  }

  private _buffer = '';
}

/** The name and JSON data of one server-sent event; null for a keepalive. */
export function parseEventBlock(block: string): IServerEvent | null {
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

/**
 * POST or GET an endpoint that answers with server-sent events, and hand each
 * event's name and JSON data to `onEvent` as it arrives, until the stream ends
 * or `onEvent` returns true.
 */
export async function readEvents(
  api: ApiConnection,
  endpoint: string,
  init: RequestInit,
  onEvent: (kind: string, payload: unknown) => boolean
): Promise<void> {
  // Not through requestAPI: the body is a stream, read as it comes.
  const response = await api.send(endpoint, init);
  if (response.body === null) {
    throw new ServerConnection.ResponseError(
      response,
      'The server sent no events.'
    );
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const parser = new EventStreamParser();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      return;
    }
    for (const event of parser.push(value)) {
      if (onEvent(event.kind, event.payload)) {
        await reader.cancel();
        return;
      }
    }
  }
}
