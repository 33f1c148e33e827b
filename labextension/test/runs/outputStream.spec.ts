import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import {
  IOutputPiece,
  IRun,
  IRunOutput,
  RunEvent,
  ScriptForgeResponseError
} from '../../src/client';
import { followOutput, StreamState } from '../../src/runs/outputStream';
import { aRun, httpError, trans } from '../helpers';

type Follow = (
  onEvent: (event: RunEvent) => void,
  offset: number
) => Promise<void>;

/** A runs client whose streams do, in turn, what `streams` say. */
function fakeRuns(
  streams: Follow[],
  others: {
    get?: () => Promise<IRun>;
    output?: (offset: number) => Promise<IRunOutput>;
  } = {}
) {
  const offsets: number[] = [];
  return {
    offsets,
    client: {
      follow: (_id: number, onEvent: (event: RunEvent) => void, offset = 0) => {
        offsets.push(offset);
        const next = streams.shift();
        return next ? next(onEvent, offset) : new Promise<void>(() => {});
      },
      get: others.get ?? (() => Promise.resolve(aRun({ status: 'running' }))),
      output: (_id: number, offset = 0) =>
        others.output
          ? others.output(offset)
          : Promise.reject(new Error('no output expected'))
    }
  };
}

function out(offset: number, text: string): RunEvent {
  return { kind: 'output', piece: { offset, stream: 'stdout', text } };
}

/** Follow, recording what a user would see. */
function watch(client: ReturnType<typeof fakeRuns>['client']) {
  const seen = {
    text: '',
    states: [] as StreamState[],
    ended: null as IRun | null,
    result: undefined as Promise<void> | undefined
  };
  const controller = new AbortController();
  seen.result = followOutput(
    client,
    1,
    {
      piece: (piece: IOutputPiece) => (seen.text += piece.text),
      state: state => seen.states.push(state),
      end: run => (seen.ended = run)
    },
    trans,
    controller.signal
  );
  return { seen, stop: () => controller.abort() };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('following a run’s output', () => {
  it('picks a dropped stream up where it stopped, without repeating output', async () => {
    const done = aRun({ status: 'succeeded' });
    const { client, offsets } = fakeRuns([
      async onEvent => {
        onEvent({ kind: 'run', run: aRun({ status: 'running' }) });
        onEvent(out(0, 'hello '));
        onEvent(out(6, 'world'));
        // The proxy closes the stream: no end.
      },
      async onEvent => {
        onEvent(out(11, '!\n'));
        onEvent({ kind: 'end', run: done });
      }
    ]);
    const { seen } = watch(client);

    await vi.advanceTimersByTimeAsync(1000);
    await seen.result;

    expect(offsets).toEqual([0, 11]);
    expect(seen.text).toBe('hello world!\n');
    expect(seen.ended).toBe(done);
    expect(seen.states).toEqual(['ended']);
  });

  it('says it is reconnecting while the server does not answer, and follows again when it does', async () => {
    const { client } = fakeRuns([
      () => Promise.reject(new TypeError('Failed to fetch')),
      async onEvent => {
        onEvent({ kind: 'run', run: aRun({ status: 'running' }) });
        onEvent(out(0, 'back'));
      }
    ]);
    const { seen, stop } = watch(client);

    await vi.advanceTimersByTimeAsync(0);
    expect(seen.states).toEqual([{ reconnecting: 'Failed to fetch' }]);
    await vi.advanceTimersByTimeAsync(1000);
    stop();
    await seen.result;

    expect(seen.states).toEqual([
      { reconnecting: 'Failed to fetch' },
      'following'
    ]);
    expect(seen.text).toBe('back');
  });

  it('waits longer after each failure in a row', async () => {
    const down = () => Promise.reject(new TypeError('Failed to fetch'));
    const { client, offsets } = fakeRuns([down, down, down, down]);
    const { seen, stop } = watch(client);

    await vi.advanceTimersByTimeAsync(0);
    expect(offsets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(offsets).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1999);
    expect(offsets).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(offsets).toHaveLength(3);
    stop();
    await seen.result;
  });

  it('gives up at once when the server refuses (the run is gone or not ours)', async () => {
    const refusal = new ScriptForgeResponseError(httpError(404), 'No run 1', {
      error: 'not_found'
    });
    const { client, offsets } = fakeRuns([() => Promise.reject(refusal)]);
    const { seen } = watch(client);

    await expect(seen.result).rejects.toBe(refusal);
    expect(offsets).toHaveLength(1);
  });

  it('reads the rest of a run that ended while the stream was down, then its end', async () => {
    const done = aRun({ status: 'failed' });
    const pages: IRunOutput[] = [
      {
        run_id: 1,
        status: 'failed',
        offset: 5,
        next_offset: 9,
        pieces: [{ offset: 5, stream: 'stdout', text: 'more' }],
        complete: false,
        truncated: false
      },
      {
        run_id: 1,
        status: 'failed',
        offset: 9,
        next_offset: 13,
        pieces: [{ offset: 9, stream: 'stderr', text: 'oops' }],
        complete: true,
        truncated: false
      }
    ];
    const asked: number[] = [];
    const { client } = fakeRuns(
      [
        async onEvent => {
          onEvent(out(0, 'start'));
          throw new TypeError('network');
        }
      ],
      {
        get: () => Promise.resolve(done),
        output: async offset => {
          asked.push(offset);
          return pages.shift() as IRunOutput;
        }
      }
    );
    const { seen } = watch(client);

    await seen.result;

    expect(asked).toEqual([5, 9]);
    expect(seen.text).toBe('startmoreoops');
    expect(seen.ended).toBe(done);
    expect(seen.states).toEqual(['ended']);
  });

  it('says so when a run ended but the end of its output cannot be read', async () => {
    const { client } = fakeRuns([() => Promise.reject(new TypeError('x'))], {
      get: () => Promise.resolve(aRun({ status: 'timed_out' })),
      output: () => Promise.reject(new Error('Bad Gateway'))
    });
    const { seen } = watch(client);

    await expect(seen.result).rejects.toThrow(
      'the run ended (timed out) but the end of its output could not be read: Bad Gateway'
    );
  });
});
