import { Text } from '@codemirror/state';
import { describe, expect, it } from 'vitest';

import { languageMarks } from '../../src/assistant/marks';
import { ILanguageDiagnostic, ScriptForgeClient } from '../../src/client';
import { LanguageService } from '../../src/language/service';
import { answering } from '../helpers';

/** A language service over a server that answers `body` to every request. */
function serviceOf(body: unknown): {
  service: LanguageService;
  urls: string[];
} {
  const { settings, requests } = answering(body);
  return {
    service: new LanguageService(new ScriptForgeClient(settings)),
    urls: requests
  };
}

function aDiagnostic(
  fields: Partial<ILanguageDiagnostic>
): ILanguageDiagnostic {
  return {
    line: 1,
    column: 0,
    end_line: 1,
    end_column: 1,
    severity: 'error',
    message: 'x',
    source: 'pyflakes',
    ...fields
  };
}

describe('the language service', () => {
  it("finds a file's server among the servers by the file's interpreter", async () => {
    const ready = {
      interpreter: 'cpython-3.13',
      state: 'ready',
      reason: null,
      where: 'pid 7',
      memory_bytes: 1,
      idle_seconds: 0,
      documents: 1
    };
    const { service, urls } = serviceOf({
      language_servers: [{ ...ready, interpreter: 'cpython-3.11' }, ready],
      interpreter: 'cpython-3.13'
    });

    const status = await service.statusOf('scripts/a b.py');

    expect(status).toEqual({ interpreter: 'cpython-3.13', server: ready });
    expect(urls).toEqual([
      'GET http://localhost:8888/scriptforge/api/language-servers?path=scripts%2Fa+b.py '
    ]);
  });

  it('has no server for a file whose interpreter has none running yet', async () => {
    const { service } = serviceOf({
      language_servers: [],
      interpreter: 'pypy-3.9'
    });
    expect(await service.statusOf('scripts/x.py')).toEqual({
      interpreter: 'pypy-3.9',
      server: null
    });
  });

  it('names the interpreter only when there is one', async () => {
    const { service, urls } = serviceOf({ diagnostics: [] });
    await service.diagnostics('x', null);
    await service.diagnostics('x', 'cpython-3.11');
    expect(urls.map(u => u.split(' ').slice(2).join(' '))).toEqual([
      '{"content":"x"}',
      '{"content":"x","interpreter":"cpython-3.11"}'
    ]);
  });
});

describe('language marks in the review', () => {
  const doc = Text.of(['import os', 'print(total)', '']);

  it('marks each diagnostic on its own range, by severity', () => {
    const marks = languageMarks(
      [
        aDiagnostic({
          line: 2,
          column: 6,
          end_line: 2,
          end_column: 11,
          message: 'undefined'
        }),
        aDiagnostic({
          line: 1,
          column: 0,
          end_line: 1,
          end_column: 9,
          severity: 'warning'
        }),
        aDiagnostic({ line: 1, severity: 'hint' })
      ],
      doc
    );
    expect(marks.map(m => [m.from, m.to, m.severity])).toEqual([
      [16, 21, 'error'],
      [0, 9, 'warning'],
      [0, 1, 'info']
    ]);
  });

  it('leaves out lines the text no longer has and clamps the rest to it', () => {
    const marks = languageMarks(
      [
        aDiagnostic({ line: 9, end_line: 9 }),
        aDiagnostic({ line: 2, column: 40, end_line: 7, end_column: 2 })
      ],
      doc
    );
    expect(marks.map(m => [m.from, m.to])).toEqual([[22, 23]]);
  });
});
