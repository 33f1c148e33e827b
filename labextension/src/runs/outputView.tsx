/**
 * A run's output in the Runs panel, streamed live (runs/outputStream.ts) and
 * drawn piece by piece (runs/outputAssembler.ts).
 */
import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { IRun, IScriptForgeClient } from '../client';
import { ErrorNote } from '../ui/notes';
import { pieceAppender } from './outputAssembler';
import { followOutput, IOutputListener, StreamState } from './outputStream';

/** Pixels from the bottom that still count as "at the end" (rounding, borders). */
const AT_END_SLACK = 8;

export interface IRunOutputProps {
  client: IScriptForgeClient;
  trans: TranslationBundle;
  runId: number;
  /** Keep the newest output in view (the user's setting). */
  follow: boolean;
  /** Whether the server dropped part of the output (over its cap). */
  truncated: boolean;
  /** The run as the stream ends it, final. */
  onEnd?: (run: IRun) => void;
}

/** The follower's state, or where it gave up. */
type ViewState = StreamState | { failed: string };

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
  const [state, setState] = React.useState<ViewState>('following');
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
    const listener: IOutputListener = {
      piece: piece => {
        append(piece);
        setEmpty(false);
        if (follow.current && atEnd.current) {
          output.scrollTop = output.scrollHeight;
        }
      },
      state: setState,
      end: run => onEnd.current?.(run)
    };
    followOutput(client.runs, runId, listener, trans, controller.signal).catch(
      (reason: Error) => {
        if (!controller.signal.aborted) {
          setState({ failed: reason.message });
        }
      }
    );
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
