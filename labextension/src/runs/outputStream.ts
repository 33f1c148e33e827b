/**
 * Following a run's output: the live stream, picked up again from its last
 * offset when it drops (a proxy, the network, a server restart), and the rest
 * read once when the run ended meanwhile.
 */
import { TranslationBundle } from '@jupyterlab/translation';

import { IOutputPiece, IRun, IRunsClient, statusOf } from '../client';
import { statusLabel } from '../ui/statusPill';
import { isLive } from './format';

/** A dropped stream (proxy, network) is picked up again from its last offset… */
const RESUME_DELAY_MS = 1000;
/** …waiting longer after each failure in a row, up to this. */
const MAX_RESUME_DELAY_MS = 10_000;

/** Where the following is. */
export type StreamState =
  | 'following'
  | 'ended'
  /** The stream failed and is tried again: the server restarting, a network drop. */
  | { reconnecting: string };

/** What the follower tells the view. */
export interface IOutputListener {
  /** A piece of output, in order, each once. */
  piece(piece: IOutputPiece): void;
  /** The state changed. */
  state(state: StreamState): void;
  /** The run as it ended, final. */
  end(run: IRun): void;
}

/**
 * Follow `runId`'s output until the run ends or `signal` aborts. Rejects when it
 * gives up: a 4xx (the run is gone, or not ours), or the run is over and the
 * end of its output cannot be read.
 */
export async function followOutput(
  client: Pick<IRunsClient, 'follow' | 'get' | 'output'>,
  runId: number,
  listener: IOutputListener,
  trans: TranslationBundle,
  signal: AbortSignal
): Promise<void> {
  let offset = 0;
  let ended = false;
  let state: StreamState = 'following';
  const report = (next: StreamState) => {
    state = next;
    listener.state(next);
  };
  const onPiece = (piece: IOutputPiece) => {
    offset = piece.offset + piece.text.length;
    listener.piece(piece);
  };
  const finish = (run: IRun) => {
    ended = true;
    report('ended');
    listener.end(run);
  };

  /** The output of a finished run from `offset` to its end, then its end. */
  const readRest = async (run: IRun) => {
    try {
      for (;;) {
        const from = offset;
        const page = await client.output(runId, from);
        page.pieces.forEach(onPiece);
        if (page.complete || page.next_offset <= from) {
          break;
        }
        offset = page.next_offset;
      }
    } catch (reason) {
      throw new Error(
        trans.__(
          'Lost the connection to the server; the run ended (%1) but the end of its output could not be read: %2',
          statusLabel(run.status, trans),
          (reason as Error).message
        )
      );
    }
    finish(run);
  };

  let failures = 0;
  while (!ended && !signal.aborted) {
    try {
      await client.follow(
        runId,
        event => {
          if (failures > 0) {
            // Back: the first event of a stream is the run as it is.
            failures = 0;
            report('following');
          }
          if (event.kind === 'output') {
            onPiece(event.piece);
          } else if (event.kind === 'end') {
            finish(event.run);
          }
        },
        offset,
        signal
      );
      // A clean end without the run's end: the stream was dropped (a proxy).
      failures = 0;
      if (typeof state === 'object') {
        report('following');
      }
    } catch (reason) {
      if (signal.aborted) {
        return;
      }
      if (isRefusal(reason)) {
        // A 4xx will not change by asking again (the run is gone, or not ours).
        throw reason;
      }
      failures += 1;
      const run = await client.get(runId).catch(error => {
        if (isRefusal(error)) {
          throw error;
        }
        return null; // the server is unreachable too: keep trying
      });
      if (run !== null && !isLive(run.status)) {
        // Over: no need for a stream, read the rest of its output once.
        await readRest(run);
        return;
      }
      report({ reconnecting: (reason as Error).message });
    }
    if (!ended && !signal.aborted) {
      await sleep(retryDelay(failures), signal);
    }
  }
}

/** Whether `error` is the server's 4xx: asking again will get the same answer. */
function isRefusal(error: unknown): boolean {
  const status = statusOf(error);
  return status !== null && status >= 400 && status < 500;
}

/** How long to wait before the next try after `failures` failures in a row. */
export function retryDelay(failures: number): number {
  return failures === 0
    ? RESUME_DELAY_MS
    : Math.min(RESUME_DELAY_MS * 2 ** (failures - 1), MAX_RESUME_DELAY_MS);
}

/** Wait `ms`, or less if `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
