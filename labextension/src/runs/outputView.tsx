import { ServerConnection } from '@jupyterlab/services';
import { TranslationBundle } from '@jupyterlab/translation';
import { AnsiUp } from 'ansi_up';
import * as React from 'react';

import { IOutputPiece, IRun, ScriptForgeClient } from '../client';
import { ErrorNote } from '../widgets/notes';
import { isLive, statusLabel } from './format';

/** Pixels from the bottom that still count as "at the end" (rounding, borders). */
const AT_END_SLACK = 8;
/** A dropped stream (proxy, network) is picked up again from its last offset… */
const RESUME_DELAY_MS = 1000;
/** …waiting longer after each failure in a row, up to this. */
const MAX_RESUME_DELAY_MS = 10_000;

export interface IRunOutputProps {
  client: ScriptForgeClient;
  trans: TranslationBundle;
  runId: number;
  /** Keep the newest output in view (the user's setting). */
  follow: boolean;
  /** Whether the server dropped part of the output (over its cap). */
  truncated: boolean;
  /** The run as the stream ends it, final. */
  onEnd?: (run: IRun) => void;
}

type StreamState =
  | 'following'
  | 'ended'
  /** The stream failed and is tried again: the server restarting, a network drop. */
  | { reconnecting: string }
  /** Given up: a 4xx, or the run is over and its output cannot be read. */
  | { failed: string };

/**
 * A run's output, streamed live: stdout plain, stderr tinted, ANSI colours rendered.
 *
 * The output is appended to the DOM directly rather than kept in React state: a
 * chatty run sends thousands of pieces, and re-rendering them all on each would lag.
 */
export function RunOutput(props: IRunOutputProps): JSX.Element {
  const { client, trans, runId } = props;
  const outputRef = React.useRef<HTMLPreElement>(null);
  const atEnd = React.useRef(true);
  const follow = React.useRef(props.follow);
  follow.current = props.follow;
  const onEnd = React.useRef(props.onEnd);
  onEnd.current = props.onEnd;
  const [state, setState] = React.useState<StreamState>('following');
  const [empty, setEmpty] = React.useState(true);
  const [paused, setPaused] = React.useState(false);

  React.useEffect(() => {
    const output = outputRef.current;
    if (!output) {
      return;
    }
    output.textContent = '';
    atEnd.current = true;
    setState('following');
    setEmpty(true);
    setPaused(false);
    const controller = new AbortController();
    const append = pieceAppender(output);
    let offset = 0;
    let ended = false;

    const onEvent = (piece: IOutputPiece) => {
      offset = piece.offset + piece.text.length;
      append(piece);
      setEmpty(false);
      if (follow.current && atEnd.current) {
        output.scrollTop = output.scrollHeight;
      }
    };
    const stream = async () => {
      let failures = 0;
      while (!ended && !controller.signal.aborted) {
        try {
          await client.followRun(
            runId,
            event => {
              if (failures > 0) {
                // Back: the first event of a stream is the run as it is.
                failures = 0;
                setState('following');
              }
              if (event.kind === 'output') {
                onEvent(event.piece);
              } else if (event.kind === 'end') {
                ended = true;
                setState('ended');
                onEnd.current?.(event.run);
              }
            },
            offset,
            controller.signal
          );
          // A clean end without the run's end: the stream was dropped (a proxy).
          failures = 0;
          setState(current =>
            typeof current === 'object' ? 'following' : current
          );
        } catch (reason) {
          if (controller.signal.aborted) {
            return;
          }
          if (isRefusal(reason)) {
            // A 4xx will not change by asking again (the run is gone, or not ours).
            throw reason;
          }
          failures += 1;
          const run = await client.getRun(runId).catch(error => {
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
          setState({ reconnecting: (reason as Error).message });
        }
        if (!ended && !controller.signal.aborted) {
          await sleep(retryDelay(failures), controller.signal);
        }
      }
    };
    /** The output of a finished run from `offset` to its end, then its end. */
    const readRest = async (run: IRun) => {
      try {
        for (;;) {
          const from = offset;
          const page = await client.runOutput(runId, from);
          page.pieces.forEach(onEvent);
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
      ended = true;
      setState('ended');
      onEnd.current?.(run);
    };
    stream().catch((reason: Error) => {
      if (!controller.signal.aborted) {
        setState({ failed: reason.message });
      }
    });
    // Stop following when another run is shown or the panel goes away.
    return () => controller.abort();
  }, [client, runId]);

  const onScroll = () => {
    const output = outputRef.current;
    if (!output) {
      return;
    }
    atEnd.current =
      output.scrollHeight - output.scrollTop - output.clientHeight <
      AT_END_SLACK;
    setPaused(!atEnd.current);
  };
  const jumpToEnd = () => {
    const output = outputRef.current;
    if (output) {
      output.scrollTop = output.scrollHeight;
      atEnd.current = true;
      setPaused(false);
    }
  };

  const failed = typeof state === 'object' && 'failed' in state;
  const reconnecting = typeof state === 'object' && 'reconnecting' in state;
  const following = state === 'following' || reconnecting;
  return (
    <div className="jp-ScriptForge-output">
      {typeof state === 'object' && 'failed' in state && (
        <ErrorNote message={state.failed} />
      )}
      {typeof state === 'object' && 'reconnecting' in state && (
        <div
          className="jp-ScriptForge-output-reconnecting"
          role="status"
          title={state.reconnecting}
        >
          {trans.__('Lost the connection to the output; reconnecting…')}
        </div>
      )}
      {props.truncated && (
        <div className="jp-ScriptForge-output-truncated" role="note">
          {trans.__(
            'Output truncated: the run wrote more than the server keeps.'
          )}
        </div>
      )}
      <pre
        ref={outputRef}
        className="jp-ScriptForge-output-text"
        aria-label={trans.__('Run output')}
        aria-live="off"
        tabIndex={0}
        onScroll={onScroll}
        data-state={
          failed ? 'failed' : reconnecting ? 'reconnecting' : (state as string)
        }
      />
      {empty && (
        <div className="jp-ScriptForge-output-empty">
          {following ? trans.__('Waiting for output…') : trans.__('No output.')}
        </div>
      )}
      {paused && following && (
        <button
          className="jp-mod-styled jp-ScriptForge-output-jump"
          onClick={jumpToEnd}
        >
          {trans.__('Follow output')}
        </button>
      )}
    </div>
  );
}

/**
 * Append pieces to `output`: consecutive pieces of one stream share a span.
 *
 * Each stream has its own AnsiUp: a colour set on stdout must carry over to
 * stdout's next piece but never bleed into stderr.
 */
function pieceAppender(output: HTMLElement): (piece: IOutputPiece) => void {
  const converters = { stdout: newConverter(), stderr: newConverter() };
  let last: { stream: string; span: HTMLElement } | null = null;
  return piece => {
    if (last === null || last.stream !== piece.stream) {
      const span = document.createElement('span');
      span.className = `jp-ScriptForge-output-${piece.stream}`;
      output.appendChild(span);
      last = { stream: piece.stream, span };
    }
    // AnsiUp escapes the text's HTML, so only its own colour spans are markup.
    last.span.insertAdjacentHTML(
      'beforeend',
      converters[piece.stream].ansi_to_html(piece.text)
    );
  };
}

/** Whether `error` is the server's 4xx: asking again will get the same answer. */
function isRefusal(error: unknown): boolean {
  if (error instanceof ServerConnection.ResponseError) {
    const status = error.response.status;
    return status >= 400 && status < 500;
  }
  return false;
}

/** How long to wait before the next try after `failures` failures in a row. */
function retryDelay(failures: number): number {
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

function newConverter(): AnsiUp {
  const converter = new AnsiUp();
  // Classes, not inline colours: runs.css picks colours readable on the theme.
  converter.use_classes = true;
  return converter;
}
