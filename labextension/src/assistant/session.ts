/**
 * One conversation turn at a time with the assistant: the answer as it streams
 * in, its end (code, guardrail report), or why it failed. A new question, or
 * Stop, ends the one before.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { ISignal, Signal } from '@lumino/signaling';

import { IAssistantClient, ScriptForgeResponseError } from '../client';
import { Answer, IQuestion } from './types';

export class AssistantSession {
  constructor(
    private readonly _client: Pick<IAssistantClient, 'ask'>,
    private readonly _trans: TranslationBundle
  ) {}

  /** The answer to show. */
  get answer(): Answer {
    return this._answer;
  }

  /** Emitted whenever `answer` changes (each token of a streaming answer too). */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Ask a question, dropping the answer under way, and follow the new one. */
  ask(question: IQuestion): void {
    this._abort?.abort();
    const abort = (this._abort = new AbortController());
    let text = '';
    this._set({ kind: 'streaming', question, text });
    this._client
      .ask(
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

  /** Stop the answer under way; what came so far stays, marked as stopped. */
  stop(): void {
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
  }

  /** Show why a question cannot be asked (`title` is what the user typed). */
  refuse(title: string, message: string): void {
    this._set({ kind: 'failed', title, text: '', message });
  }

  /** Stop following the answer under way. */
  dispose(): void {
    this._abort?.abort();
  }

  private _set(answer: Answer): void {
    this._answer = answer;
    this._changed.emit();
  }

  private _answer: Answer = { kind: 'idle' };
  private _abort: AbortController | null = null;
  private readonly _changed = new Signal<this, void>(this);
}
