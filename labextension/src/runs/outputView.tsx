import { TranslationBundle } from '@jupyterlab/translation';
import { AnsiUp } from 'ansi_up';
import * as React from 'react';

import { IOutputPiece, IRun, ScriptForgeClient } from '../client';
import { ErrorNote } from '../widgets/notes';

/** Pixels from the bottom that still count as "at the end" (rounding, borders). */
const AT_END_SLACK = 8;
/** A dropped stream (proxy, network) is picked up again from its last offset. */
const RESUME_DELAY_MS = 1000;

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

type StreamState = 'following' | 'ended' | { failed: string };

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
      while (!ended && !controller.signal.aborted) {
        await client.followRun(
          runId,
          event => {
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
        if (!ended) {
          await new Promise(resolve => setTimeout(resolve, RESUME_DELAY_MS));
        }
      }
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

  return (
    <div className="jp-ScriptForge-output">
      {typeof state === 'object' && <ErrorNote message={state.failed} />}
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
        data-state={typeof state === 'object' ? 'failed' : state}
      />
      {empty && (
        <div className="jp-ScriptForge-output-empty">
          {state === 'following'
            ? trans.__('Waiting for output…')
            : trans.__('No output.')}
        </div>
      )}
      {paused && state === 'following' && (
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

function newConverter(): AnsiUp {
  const converter = new AnsiUp();
  // Classes, not inline colours: runs.css picks colours readable on the theme.
  converter.use_classes = true;
  return converter;
}
