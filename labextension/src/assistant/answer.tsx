/**
 * The answer in the Assistant panel: its text as it streams, the failure (with
 * the way to a model when none is set), or the code it proposes.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { ErrorNote } from '../ui/notes';
import { Proposal } from './proposal';
import { Answer, IAssistantActions } from './types';

/** The server's error code when no language model is configured (a 503). */
const NO_MODEL = 'no_model';

export function AnswerView(props: {
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
          diagnostics={answer.result.diagnostics ?? null}
          diagnosticsError={answer.result.diagnostics_error ?? null}
          interpreter={answer.result.interpreter ?? null}
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
