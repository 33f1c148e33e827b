/**
 * Code the assistant proposes: reviewed chunk by chunk against the script it
 * changes (or shown whole when new), checked by the guardrails as reviewed, and
 * applied, created or run from here.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { IAnalysis, ILanguageDiagnostic } from '../client';
import { ErrorNote } from '../ui/notes';
import { GuardrailReport } from './guardrailReport';
import { LanguageReport } from './languageReport';
import { createReview, IReview } from './review';
import { IAssistantActions, IReviewTarget, RunChoice } from './types';

/** How long the review must pause before the guardrails look at it again. */
const RECHECK_DELAY_MS = 400;

/** Proposed code: reviewed chunk by chunk against the script, or new. */
export function Proposal(props: {
  code: string;
  analysis: IAnalysis | null;
  /** The language server's diagnostics of `code`, from the answer. */
  diagnostics: ILanguageDiagnostic[] | null;
  diagnosticsError: string | null;
  interpreter: string | null;
  target: IReviewTarget | null;
  trans: TranslationBundle;
  actions: IAssistantActions;
}): JSX.Element {
  const { code, analysis, target, trans, actions, interpreter } = props;
  const host = React.useRef<HTMLDivElement>(null);
  const review = React.useRef<IReview | null>(null);
  const [pending, setPending] = React.useState(0);
  const [outcome, setOutcome] = React.useState<
    | { kind: 'working' }
    | { kind: 'done'; message: string }
    | { kind: 'failed'; message: string }
    | null
  >(null);

  // The report follows the review: what runs is checked as it is, not as proposed.
  const [report, setReport] = React.useState(analysis);
  React.useEffect(() => setReport(analysis), [analysis]);
  // The language server's findings follow the review too.
  const [diagnostics, setDiagnostics] = React.useState(props.diagnostics);
  React.useEffect(() => setDiagnostics(props.diagnostics), [props.diagnostics]);
  // Marked on their lines too; the review may be made after the reports arrive.
  const shownReport = React.useRef(report);
  const shownDiagnostics = React.useRef(diagnostics);
  React.useEffect(() => {
    shownReport.current = report;
    shownDiagnostics.current = diagnostics;
    review.current?.showFindings(report?.findings ?? [], diagnostics ?? []);
  }, [report, diagnostics]);
  const [admin, setAdmin] = React.useState(false);
  React.useEffect(() => {
    let current = true;
    actions
      .isAdmin()
      .then(value => current && setAdmin(value))
      .catch(() => undefined); // no button; the server would refuse anyway
    return () => {
      current = false;
    };
  }, [actions]);

  React.useEffect(() => {
    let cancelled = false;
    void actions.language().then(language => {
      if (cancelled || host.current === null) {
        return;
      }
      review.current = createReview(
        host.current,
        target?.original ?? '',
        code,
        language,
        () => {
          setPending(review.current?.pending() ?? 0);
          // Rejecting a hunk may drop what the guardrails objected to: check again
          // once the reviewing pauses.
          window.clearTimeout(recheck);
          recheck = window.setTimeout(() => {
            const content = review.current?.content();
            if (content !== undefined) {
              // Only the newest check may show: an older one can answer last.
              const asked = ++checks;
              actions
                .analyze(content, target?.original)
                .then(
                  fresh => !cancelled && asked === checks && setReport(fresh)
                )
                .catch(() => undefined); // the report shown stays; Run re-checks anyway
              actions
                .diagnose(content, interpreter)
                .then(
                  fresh =>
                    !cancelled &&
                    asked === checks &&
                    fresh !== null &&
                    setDiagnostics(fresh)
                )
                .catch(() => undefined); // the diagnostics shown stay
            }
          }, RECHECK_DELAY_MS);
        }
      );
      setPending(review.current.pending());
      review.current.showFindings(
        shownReport.current?.findings ?? [],
        shownDiagnostics.current ?? []
      );
    });
    let recheck = 0;
    let checks = 0;
    return () => {
      cancelled = true;
      window.clearTimeout(recheck);
      review.current?.destroy();
      review.current = null;
    };
  }, [code, target]);

  const blocked = report?.verdict === 'blocked';
  const act =
    (run: boolean, override = false) =>
    async () => {
      const content = review.current?.content() ?? code;
      setOutcome({ kind: 'working' });
      try {
        if (run && !override) {
          const fresh = await actions.analyze(content, target?.original);
          setReport(fresh);
          if (fresh.verdict === 'blocked') {
            setOutcome({
              kind: 'failed',
              message: trans.__('The guardrails block the code as reviewed.')
            });
            return;
          }
        }
        // Saved first (held, if blocked); the admin overrides what was saved.
        const choice: RunChoice = override
          ? () => actions.override(content)
          : run;
        const message = target
          ? await actions.apply(target, content, choice)
          : await actions.create(content, choice);
        setOutcome(message === null ? null : { kind: 'done', message });
      } catch (reason) {
        setOutcome({ kind: 'failed', message: (reason as Error).message });
      }
    };
  return (
    <div className="jp-ScriptForge-proposal">
      {target && (
        <p className="jp-ScriptForge-reviewHint">
          {pending > 0
            ? trans._n(
                '%1 change to review: accept or reject each, or apply all that remain.',
                '%1 changes to review: accept or reject each, or apply all that remain.',
                pending
              )
            : trans.__('Every change reviewed.')}
        </p>
      )}
      <div className="jp-ScriptForge-review" ref={host} />
      <GuardrailReport
        analysis={report}
        trans={trans}
        onLine={line => review.current?.reveal(line)}
      />
      <LanguageReport
        diagnostics={diagnostics}
        error={diagnostics === null ? props.diagnosticsError : null}
        interpreter={interpreter}
        trans={trans}
        onLine={line => review.current?.reveal(line)}
      />
      <div className="jp-ScriptForge-assistantButtons">
        <button
          className="jp-mod-styled jp-mod-accept"
          disabled={outcome?.kind === 'working'}
          onClick={act(false)}
        >
          {target
            ? trans.__('Apply to %1', target.scriptName)
            : trans.__('Create Script…')}
        </button>
        <button
          className="jp-mod-styled"
          disabled={blocked || outcome?.kind === 'working'}
          title={
            blocked
              ? trans.__(
                  'The guardrails blocked this code from a one-click run.'
                )
              : undefined
          }
          onClick={act(true)}
        >
          {target ? trans.__('Apply and Run') : trans.__('Create and Run…')}
        </button>
        {blocked && admin && (
          <button
            className="jp-mod-styled jp-mod-warn"
            disabled={outcome?.kind === 'working'}
            title={trans.__(
              'For ScriptForge admins: run it anyway; the override is audited.'
            )}
            onClick={act(true, true)}
          >
            {trans.__('Override and Run…')}
          </button>
        )}
      </div>
      {blocked && !admin && (
        <p className="jp-ScriptForge-reviewHint">
          {trans.__(
            'Reject the changes the guardrails object to, or ask a ScriptForge admin to override.'
          )}
        </p>
      )}
      {outcome?.kind === 'done' && (
        <div className="jp-ScriptForge-assistantOutcome" role="status">
          {outcome.message}
        </div>
      )}
      {outcome?.kind === 'failed' && <ErrorNote message={outcome.message} />}
    </div>
  );
}
