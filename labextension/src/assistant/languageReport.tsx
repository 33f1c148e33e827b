/**
 * What the interpreter's language server finds in proposed code (syntax the
 * interpreter cannot run, undefined names, imports it cannot satisfy), each with
 * a link to its line in the review, beside the guardrails' report.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { ILanguageDiagnostic } from '../client';

export function LanguageReport(props: {
  diagnostics: ILanguageDiagnostic[] | null;
  /** Why there are no diagnostics, if the server could not say. */
  error: string | null;
  interpreter: string | null;
  trans: TranslationBundle;
  onLine?: (line: number) => void;
}): JSX.Element | null {
  const { diagnostics, error, interpreter, trans, onLine } = props;
  if (diagnostics === null && error === null) {
    return null;
  }
  const who = interpreter ?? trans.__('the default interpreter');
  return (
    <div
      className="jp-ScriptForge-languageReport"
      aria-label={trans.__('Language server report')}
    >
      <div className="jp-ScriptForge-languageReportTitle">
        {error !== null
          ? trans.__(
              'The language server of %1 could not check it: %2',
              who,
              error
            )
          : diagnostics!.length === 0
            ? trans.__('The language server of %1 finds nothing wrong.', who)
            : trans._n(
                'The language server of %2 finds %1 problem:',
                'The language server of %2 finds %1 problems:',
                diagnostics!.length,
                who
              )}
      </div>
      {diagnostics && diagnostics.length > 0 && (
        <ul>
          {diagnostics.map((found, index) => (
            <li key={index} className={`jp-mod-${found.severity}`}>
              {onLine ? (
                <button
                  className="jp-ScriptForge-findingLine jp-mod-link"
                  title={trans.__('Show line %1 in the review', found.line)}
                  onClick={() => onLine(found.line)}
                >
                  {trans.__('line %1', found.line)}
                </button>
              ) : (
                <span className="jp-ScriptForge-findingLine">
                  {trans.__('line %1', found.line)}
                </span>
              )}{' '}
              {found.message}{' '}
              <span className="jp-ScriptForge-findingRule">{found.source}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
