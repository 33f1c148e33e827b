import { describe, expect, it } from 'vitest';

import { IOutputPiece } from '../../src/client';
import { OutputAssembler } from '../../src/runs/outputAssembler';

const RED = '\u001b[31m';
const RESET = '\u001b[0m';

let offset = 0;
function piece(stream: IOutputPiece['stream'], text: string): IOutputPiece {
  const made = { offset, stream, text };
  offset += text.length;
  return made;
}

/** The spans the output area ends with: each stream's run of pieces as HTML. */
function assemble(pieces: IOutputPiece[]): [string, string][] {
  const assembler = new OutputAssembler();
  const spans: [string, string][] = [];
  for (const next of pieces) {
    const chunk = assembler.add(next);
    if (chunk.newSpan || spans.length === 0) {
      spans.push([chunk.stream, chunk.html]);
    } else {
      spans[spans.length - 1][1] += chunk.html;
    }
  }
  return spans;
}

describe('the output area', () => {
  it('keeps consecutive pieces of one stream together, and each change of stream apart', () => {
    expect(
      assemble([
        piece('stdout', 'one\n'),
        piece('stdout', 'two\n'),
        piece('stderr', 'Traceback\n'),
        piece('stdout', 'three\n')
      ])
    ).toEqual([
      ['stdout', 'one\ntwo\n'],
      ['stderr', 'Traceback\n'],
      ['stdout', 'three\n']
    ]);
  });

  it('shows what a script prints as text, never as markup', () => {
    expect(assemble([piece('stdout', '<b>bold</b> & "q"\n')])).toEqual([
      ['stdout', '&lt;b&gt;bold&lt;/b&gt; &amp; &quot;q&quot;\n']
    ]);
  });

  it('shows ANSI colours as classes the theme colours', () => {
    const [[, html]] = assemble([piece('stdout', `${RED}error${RESET} ok`)]);

    expect(html).toBe('<span class="ansi-red-fg">error</span> ok');
  });

  it('carries a colour left open over to the next piece of the same stream', () => {
    const spans = assemble([
      piece('stdout', `${RED}half`),
      piece('stdout', `way${RESET} done`)
    ]);

    expect(spans).toEqual([
      [
        'stdout',
        '<span class="ansi-red-fg">half</span>' +
          '<span class="ansi-red-fg">way</span> done'
      ]
    ]);
  });

  it('never lets a colour of stdout bleed into stderr', () => {
    const spans = assemble([
      piece('stdout', `${RED}red on stdout`),
      piece('stderr', 'plain on stderr')
    ]);

    expect(spans[1]).toEqual(['stderr', 'plain on stderr']);
  });
});
