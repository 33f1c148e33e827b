/**
 * The Assistant panel: ask for a new script, an edit of the one in the editor,
 * an explanation or a fix; the answer streams in (assistant/session.ts), a
 * proposed change is reviewed chunk by chunk (assistant/proposal.tsx), and the
 * guardrails' report comes with any code.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import {
  HTMLSelect,
  ReactWidget,
  runIcon,
  stopIcon,
  ToolbarButtonComponent
} from '@jupyterlab/ui-components';
import * as React from 'react';

import { PanelHeader } from '../ui/header';
import { AnswerView } from './answer';
import { AssistantSession } from './session';
import { Answer, IAssistantActions, IQuestion, PromptMode } from './types';

export class AssistantPanel extends ReactWidget {
  constructor(
    private readonly _session: AssistantSession,
    private readonly _actions: IAssistantActions,
    private readonly _trans: TranslationBundle
  ) {
    super();
    this.addClass('jp-ScriptForge-AssistantPanel');
    _session.changed.connect(() => this.update());
  }

  /** Ask a question (from a command) and show its answer as it streams. */
  ask(question: IQuestion): void {
    this._session.ask(question);
  }

  dispose(): void {
    this._session.dispose();
    super.dispose();
  }

  protected render(): JSX.Element {
    return (
      <AssistantView
        answer={this._session.answer}
        trans={this._trans}
        actions={this._actions}
        onAsk={async (mode, prompt) => {
          const question = await this._actions.question(mode, prompt);
          if (typeof question === 'string') {
            this._session.refuse(prompt, question);
          } else {
            this.ask(question);
          }
        }}
        onStop={() => this._session.stop()}
      />
    );
  }
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
      <PanelHeader title={trans.__('Assistant')} />
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
