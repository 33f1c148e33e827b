import { describe, expect, it } from 'vitest';

import { EventStreamParser } from '../../src/client/events';

describe('server-sent events', () => {
  it('come out whole however the network splits them', () => {
    const parser = new EventStreamParser();
    const text =
      'event: output\ndata: {"text": "a"}\n\n' +
      'event: end\ndata: {"status": "succeeded"}\n\n';
    const events = [];
    for (let i = 0; i < text.length; i += 7) {
      events.push(...parser.push(text.slice(i, i + 7)));
    }

    expect(events).toEqual([
      { kind: 'output', payload: { text: 'a' } },
      { kind: 'end', payload: { status: 'succeeded' } }
    ]);
  });

  it('skip keepalives, and name an unnamed event "message"', () => {
    const parser = new EventStreamParser();

    expect([...parser.push(': keepalive\n\ndata: 1\n\n')]).toEqual([
      { kind: 'message', payload: 1 }
    ]);
  });

  it('join data spread over several lines', () => {
    const parser = new EventStreamParser();

    expect([
      ...parser.push('event: token\ndata: {"text":\ndata: "hi"}\n\n')
    ]).toEqual([{ kind: 'token', payload: { text: 'hi' } }]);
  });

  it('wait for the end of an event before handing it over', () => {
    const parser = new EventStreamParser();

    expect([...parser.push('event: token\ndata: {"text": "x"}\n')]).toEqual([]);
    expect([...parser.push('\n')]).toEqual([
      { kind: 'token', payload: { text: 'x' } }
    ]);
  });
});
