/**
 * The guardrails' report on proposed code: the verdict and each finding, with
 * a link to its line in the review.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { IAnalysis } from '../client';

/** The guardrails' verdict and findings, each with its line. */
export function GuardrailReport(props: {
  analysis: IAnalysis | null;
  trans: TranslationBundle;
  /** Show a finding's line in the code it is about. */
  onLine?: (line: number) => void;
}): JSX.Element | null {
  const { analysis, trans, onLine } = props;
  if (analysis === null) {
    return null;
  }
  const verdict = {
    ok: trans.__('No finding: nothing the guardrails object to.'),
    warn: trans.__('Warnings: read them before running.'),
    // Blocked code a user keeps is held by the server, whether kept yet or not.
    blocked: trans.__(
      'Blocked: ScriptForge will not run this code until an admin overrides.'
    )
  }[analysis.verdict];
  return (
    <div
      className={`jp-ScriptForge-guardrails jp-mod-${analysis.verdict}`}
      aria-label={trans.__('Guardrail report')}
    >
      <div className="jp-ScriptForge-guardrailsVerdict">{verdict}</div>
      {analysis.findings.length > 0 && (
        <ul>
          {analysis.findings.map((finding, index) => (
            <li
              key={index}
              className={`jp-mod-${finding.severity.toLowerCase()}`}
            >
              {onLine ? (
                <button
                  className="jp-ScriptForge-findingLine jp-mod-link"
                  title={trans.__('Show line %1 in the review', finding.line)}
                  onClick={() => onLine(finding.line)}
                >
                  {trans.__('line %1', finding.line)}
                </button>
              ) : (
                <span className="jp-ScriptForge-findingLine">
                  {trans.__('line %1', finding.line)}
                </span>
              )}{' '}
              {finding.message}{' '}
              <span className="jp-ScriptForge-findingRule">{finding.rule}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
