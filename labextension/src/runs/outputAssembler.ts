/**
 * A run's output as it arrives, piece by piece, turned into the HTML the output
 * area shows: stdout plain, stderr in a span of its own, ANSI colours as classes.
 *
 * Each stream has its own AnsiUp: a colour set on stdout carries over to
 * stdout's next piece but never bleeds into stderr.
 */
import { AnsiUp } from 'ansi_up';

import { IOutputPiece } from '../client';

/** What one piece adds to the output. */
export interface IOutputChunk {
  stream: IOutputPiece['stream'];
  /** The piece's text as HTML: escaped, with ANSI colours as `ansi-*` classes. */
  html: string;
  /** Whether it starts a span of its own (the stream changed), else it extends the last. */
  newSpan: boolean;
}

/** The output's pieces in order, as HTML; consecutive pieces of one stream share a span. */
export class OutputAssembler {
  /** The HTML of the next piece, and where it goes. */
  add(piece: IOutputPiece): IOutputChunk {
    const newSpan = this._last !== piece.stream;
    this._last = piece.stream;
    // AnsiUp escapes the text's HTML, so only its own colour spans are markup.
    const html = this._converters[piece.stream].ansi_to_html(piece.text);
    return { stream: piece.stream, html, newSpan };
  }

  private _last: IOutputPiece['stream'] | null = null;
  private readonly _converters = {
    stdout: newConverter(),
    stderr: newConverter()
  };
}

/** Append pieces to `output`, each stream's run of pieces in one span. */
export function pieceAppender(
  output: HTMLElement
): (piece: IOutputPiece) => void {
  const assembler = new OutputAssembler();
  let span: HTMLElement | null = null;
  return piece => {
    const chunk = assembler.add(piece);
    if (span === null || chunk.newSpan) {
      span = document.createElement('span');
      span.className = `jp-ScriptForge-output-${chunk.stream}`;
      output.appendChild(span);
    }
    span.insertAdjacentHTML('beforeend', chunk.html);
  };
}

function newConverter(): AnsiUp {
  const converter = new AnsiUp();
  // Classes, not inline colours: runs.css picks colours readable on the theme.
  converter.use_classes = true;
  return converter;
}
