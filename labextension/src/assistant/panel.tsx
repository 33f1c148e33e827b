/**
 * The Assistant panel: ask for a new script, an edit of the one in the editor,
 * an explanation or a fix; the answer streams in, a proposed change is reviewed
 * chunk by chunk, and the guardrails' report comes with any code.
 */
import { Extension } from '@codemirror/state';
import { TranslationBundle } from '@jupyterlab/translation';
import {
  HTMLSelect,
  ReactWidget,
  runIcon,
  stopIcon,
  ToolbarButtonComponent
} from '@jupyterlab/ui-components';
import * as React from 'react';

import {
  AssistantRequest,
  IAnalysis,
  IAssistantResult,
  ScriptForgeClient,
  ScriptForgeResponseError
} from '../client';
import { ErrorNote } from '../widgets/notes';
import { createReview, IReview } from './review';

/** How long the review must pause before the guardrails look at it again. */
const RECHECK_DELAY_MS = 400;

/** The server's error code when no language model is configured (a 503). */
const NO_MODEL = 'no_model';

/** What the user asks for from the panel's prompt box. */
export type PromptMode = 'generate' | 'edit' | 'explain';

/** What a review applies to: a script, the content the proposal was made against. */
export interface IReviewTarget {
  scriptId: number;
  scriptName: string;
  original: string;
  baseVersionId: number | null;
}

/**
 * Whether to run what was saved: no, yes, or after an admin's override (which
 * resolves false when the admin backs out).
 */
export type RunChoice = false | true | (() => Promise<boolean>);

/** A request with what the panel needs to show its answer. */
export interface IQuestion {
  request: AssistantRequest;
  /** Shown above the answer, e.g. "Fix run #12 of daily_total". */
  title: string;
  target: IReviewTarget | null;
}

/** What the panel asks of the application. */
export interface IAssistantActions {
  /**
   * The guardrails' report on the code as reviewed (hunks rejected, edits made),
   * beside the `original` it changes.
   */
  analyze: (code: string, original?: string) => Promise<IAnalysis>;
  /** Ask an admin's override of blocked code (with a reason); → whether it was given. */
  override: (code: string) => Promise<boolean>;
  /** Whether the user may override the guardrails (only admins see the button). */
  isAdmin: () => Promise<boolean>;
  /** Turn the prompt box's text into a question, or say why it cannot be asked. */
  question: (mode: PromptMode, prompt: string) => Promise<IQuestion | string>;
  /**
   * Save a reviewed edit as a version, then run it if `run` says so (an admin's
   * override is asked there, once the code is saved); → a message for the user.
   */
  apply: (
    target: IReviewTarget,
    content: string,
    run: RunChoice
  ) => Promise<string>;
  /** Make a new script of generated code; → a message for the user, or null if not made. */
  create: (code: string, run: RunChoice) => Promise<string | null>;
  language: () => Promise<Extension | null>;
  /**
   * Open where the model is chosen (Jupyter AI's settings); null when this
   * JupyterLab has no such place. Asked at each showing: the extension that
   * provides it may start after the panel.
   */
  modelSettings: () => (() => Promise<void>) | null;
}

type Answer =
  | { kind: 'idle' }
  | { kind: 'streaming'; question: IQuestion; text: string }
  | {
      kind: 'done';
      question: IQuestion;
      text: string;
      result: IAssistantResult;
    }
  | {
      kind: 'failed';
      title: string;
      text: string;
      message: string;
      /** The server's error code, e.g. "no_model". */
      code?: string;
    };

export class AssistantPanel extends ReactWidget {
  constructor(
    private readonly _client: ScriptForgeClient,
    private readonly _actions: IAssistantActions,
    private readonly _trans: TranslationBundle
  ) {
    super();
    this.addClass('jp-ScriptForge-AssistantPanel');
  }

  /** Ask a question (from a command) and show its answer as it streams. */
  ask(question: IQuestion): void {
    this._abort?.abort();
    const abort = (this._abort = new AbortController());
    let text = '';
    this._set({ kind: 'streaming', question, text });
    this._client
      .askAssistant(
        question.request,
        event => {
          if (abort.signal.aborted) {
            return;
          }
          if (event.kind === 'token') {
            text += event.text;
            this._set({ kind: 'streaming', question, text });
          } else if (event.kind === 'done') {
            // The result's text has the secrets the prompt held back put back.
            this._set({
              kind: 'done',
              question,
              text: event.result.text,
              result: event.result
            });
          } else {
            this._set({
              kind: 'failed',
              title: question.title,
              text,
              message: event.message ?? this._trans.__('The assistant failed.'),
              code: event.error
            });
          }
        },
        abort.signal
      )
      .then(() => {
        // The stream closed without its last word (a proxy cut, a restart).
        const answer = this._answer;
        if (!abort.signal.aborted && answer.kind === 'streaming') {
          this._set({
            kind: 'failed',
            title: question.title,
            text: answer.text,
            message: this._trans.__('The answer was cut off. Ask again.')
          });
        }
      })
      .catch((reason: Error) => {
        if (!abort.signal.aborted) {
          this._set({
            kind: 'failed',
            title: question.title,
            text,
            message: reason.message,
            code:
              reason instanceof ScriptForgeResponseError
                ? reason.body.error
                : undefined
          });
        }
      });
  }

  dispose(): void {
    this._abort?.abort();
    super.dispose();
  }

  protected render(): JSX.Element {
    return (
      <AssistantView
        answer={this._answer}
        trans={this._trans}
        actions={this._actions}
        onAsk={async (mode, prompt) => {
          const question = await this._actions.question(mode, prompt);
          if (typeof question === 'string') {
            this._set({
              kind: 'failed',
              title: prompt,
              text: '',
              message: question
            });
          } else {
            this.ask(question);
          }
        }}
        onStop={() => {
          this._abort?.abort();
          const answer = this._answer;
          if (answer.kind === 'streaming') {
            this._set({
              kind: 'failed',
              title: answer.question.title,
              text: answer.text,
              message: this._trans.__('Stopped.')
            });
          }
        }}
      />
    );
  }

  private _set(answer: Answer): void {
    this._answer = answer;
    this.update();
  }

  private _answer: Answer = { kind: 'idle' };
  private _abort: AbortController | null = null;
}

function AssistantView(props: {
  answer: Answer;
  trans: TranslationBundle;
  actions: IAssistantActions;
  onAsk: (mode: PromptMode, prompt: string) => void;
  onStop: () => void;
}): JSX.Element {
  const { answer, trans } = props;
  const [mode, setMode] = React.useState<PromptMode>('generate');
  const [prompt, setPrompt] = React.useState('');
  const streaming = answer.kind === 'streaming';
  const send = () => {
    if (prompt.trim() || mode === 'explain') {
      props.onAsk(mode, prompt.trim());
    }
  };
  const placeholder = {
    generate: trans.__('Describe the script to write…'),
    edit: trans.__('How should the script in the editor change?'),
    explain: trans.__(
      'What to explain (empty: the selection or the whole script)'
    )
  }[mode];
  return (
    <div className="jp-ScriptForge-assistant">
      <div className="jp-ScriptForge-header">
        <h2 className="jp-ScriptForge-title">{trans.__('Assistant')}</h2>
      </div>
      <div className="jp-ScriptForge-assistantAsk">
        <HTMLSelect
          aria-label={trans.__('What to ask for')}
          value={mode}
          onChange={event => setMode(event.target.value as PromptMode)}
        >
          <option value="generate">{trans.__('Write a new script')}</option>
          <option value="edit">{trans.__('Edit this script')}</option>
          <option value="explain">{trans.__('Explain')}</option>
        </HTMLSelect>
        <textarea
          aria-label={trans.__('Ask the assistant')}
          placeholder={placeholder}
          value={prompt}
          rows={4}
          onChange={event => setPrompt(event.target.value)}
          onKeyDown={event => {
            if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
              event.preventDefault();
              send();
            }
          }}
        />
        <div className="jp-ScriptForge-assistantButtons">
          {streaming ? (
            <ToolbarButtonComponent
              icon={stopIcon}
              label={trans.__('Stop')}
              onClick={props.onStop}
            />
          ) : (
            <ToolbarButtonComponent
              icon={runIcon}
              label={trans.__('Ask')}
              tooltip={trans.__('Ask (Ctrl+Enter)')}
              onClick={send}
            />
          )}
        </div>
      </div>
      <AnswerView answer={answer} trans={trans} actions={props.actions} />
    </div>
  );
}

function AnswerView(props: {
  answer: Answer;
  trans: TranslationBundle;
  actions: IAssistantActions;
}): JSX.Element {
  const { answer, trans, actions } = props;
  if (answer.kind === 'idle') {
    return (
      <div className="jp-ScriptForge-empty">
        <p>
          {trans.__(
            'Ask for a new script, an edit of the script in the editor, or an explanation. Failed runs offer “Fix with Assistant”.'
          )}
        </p>
      </div>
    );
  }
  const title = answer.kind === 'failed' ? answer.title : answer.question.title;
  return (
    <section
      className="jp-ScriptForge-answer"
      aria-label={trans.__('Answer')}
      aria-busy={answer.kind === 'streaming'}
    >
      <h3 className="jp-ScriptForge-answerTitle">{title}</h3>
      {answer.kind === 'done' && answer.result.model && (
        <div className="jp-ScriptForge-answerModel">{answer.result.model}</div>
      )}
      {(answer.kind !== 'done' || !answer.result.code) && answer.text && (
        <pre className="jp-ScriptForge-answerText">{answer.text}</pre>
      )}
      {answer.kind === 'streaming' && answer.text === '' && (
        <div className="jp-ScriptForge-loading">{trans.__('Thinking…')}</div>
      )}
      {answer.kind === 'failed' &&
        (answer.code === NO_MODEL ? (
          <NoModelNote trans={trans} openSettings={actions.modelSettings()} />
        ) : (
          <ErrorNote message={answer.message} />
        ))}
      {answer.kind === 'done' && answer.result.code && (
        <Proposal
          code={answer.result.code}
          analysis={answer.result.analysis ?? null}
          target={answer.question.target}
          trans={trans}
          actions={actions}
        />
      )}
    </section>
  );
}

/** No model to ask: what one takes, and the way to Jupyter AI's settings. */
function NoModelNote(props: {
  trans: TranslationBundle;
  openSettings: (() => Promise<void>) | null;
}): JSX.Element {
  const { trans, openSettings } = props;
  return (
    <div className="jp-ScriptForge-noModel" role="alert">
      <p className="jp-ScriptForge-noModelTitle">
        {trans.__('No language model is configured.')}
      </p>
      <p>
        {trans.__(
          'A model needs the API key of a provider (OpenAI, Anthropic, …) or a local model such as Ollama.'
        )}
      </p>
      {openSettings ? (
        <div className="jp-ScriptForge-assistantButtons">
          <button
            className="jp-mod-styled jp-mod-accept"
            onClick={() => void openSettings()}
          >
            {trans.__('Open AI Settings')}
          </button>
        </div>
      ) : (
        <p className="jp-ScriptForge-reviewHint">
          {trans.__(
            'Jupyter AI’s settings are not part of this JupyterLab: ask whoever runs the server to set a model.'
          )}
        </p>
      )}
    </div>
  );
}

/** Proposed code: reviewed chunk by chunk against the script, or new. */
function Proposal(props: {
  code: string;
  analysis: IAnalysis | null;
  target: IReviewTarget | null;
  trans: TranslationBundle;
  actions: IAssistantActions;
}): JSX.Element {
  const { code, analysis, target, trans, actions } = props;
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
  // Marked on their lines too; the review may be made after the report arrives.
  const shownReport = React.useRef(report);
  React.useEffect(() => {
    shownReport.current = report;
    review.current?.showFindings(report?.findings ?? []);
  }, [report]);
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
            }
          }, RECHECK_DELAY_MS);
        }
      );
      setPending(review.current.pending());
      review.current.showFindings(shownReport.current?.findings ?? []);
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
