import { describe, expect, it } from 'vitest';

import {
  AssistantEvent,
  AssistantRequest,
  ScriptForgeResponseError
} from '../../src/client';
import { AssistantSession } from '../../src/assistant/session';
import { IQuestion } from '../../src/assistant/types';
import { httpError, trans } from '../helpers';

/** An assistant whose answers a test writes event by event. */
function fakeAssistant() {
  const asked: {
    request: AssistantRequest;
    send: (event: AssistantEvent) => void;
    close: () => void;
    fail: (reason: Error) => void;
    signal?: AbortSignal;
  }[] = [];
  const client = {
    ask: (
      request: AssistantRequest,
      onEvent: (event: AssistantEvent) => void,
      signal?: AbortSignal
    ) =>
      new Promise<void>((resolve, reject) =>
        asked.push({
          request,
          send: onEvent,
          close: resolve,
          fail: reject,
          signal
        })
      )
  };
  return { asked, session: new AssistantSession(client, trans) };
}

const question: IQuestion = {
  request: { action: 'generate', prompt: 'sum a CSV column' },
  title: 'sum a CSV column',
  target: null
};

/** Let the answer's promise settle. */
const settle = () => new Promise(resolve => setTimeout(resolve, 0));

describe('an answer of the assistant', () => {
  it('shows its text as the model writes it, then the result', () => {
    const { asked, session } = fakeAssistant();

    session.ask(question);
    asked[0].send({ kind: 'token', text: 'Here ' });
    asked[0].send({ kind: 'token', text: 'is' });
    expect(session.answer).toMatchObject({
      kind: 'streaming',
      text: 'Here is'
    });
    asked[0].send({
      kind: 'done',
      result: { text: 'Here is the script', code: 'print(1)\n' }
    });

    expect(session.answer).toMatchObject({
      kind: 'done',
      text: 'Here is the script',
      result: { code: 'print(1)\n' }
    });
  });

  it('shows the server’s reason when the model fails, keeping what came', () => {
    const { asked, session } = fakeAssistant();

    session.ask(question);
    asked[0].send({ kind: 'token', text: 'Partial' });
    asked[0].send({
      kind: 'error',
      error: 'no_model',
      message: 'No language model is configured.'
    });

    expect(session.answer).toEqual({
      kind: 'failed',
      title: 'sum a CSV column',
      text: 'Partial',
      message: 'No language model is configured.',
      code: 'no_model'
    });
  });

  it('says the answer was cut off when the stream closes before its end', async () => {
    const { asked, session } = fakeAssistant();

    session.ask(question);
    asked[0].send({ kind: 'token', text: 'Half' });
    asked[0].close();
    await settle();

    expect(session.answer).toMatchObject({
      kind: 'failed',
      text: 'Half',
      message: 'The answer was cut off. Ask again.'
    });
  });

  it('carries the error code of a refused request', async () => {
    const { asked, session } = fakeAssistant();

    session.ask(question);
    asked[0].fail(
      new ScriptForgeResponseError(httpError(503), 'No model', {
        error: 'no_model'
      })
    );
    await settle();

    expect(session.answer).toMatchObject({
      kind: 'failed',
      message: 'No model',
      code: 'no_model'
    });
  });

  it('stops on Stop, keeping the text so far', async () => {
    const { asked, session } = fakeAssistant();

    session.ask(question);
    asked[0].send({ kind: 'token', text: 'So far' });
    session.stop();
    asked[0].send({ kind: 'token', text: ' and more' });
    asked[0].close();
    await settle();

    expect(asked[0].signal?.aborted).toBe(true);
    expect(session.answer).toMatchObject({
      kind: 'failed',
      text: 'So far',
      message: 'Stopped.'
    });
  });

  it('gives way to a newer question: the older answer no longer shows', async () => {
    const { asked, session } = fakeAssistant();
    const newer: IQuestion = { ...question, title: 'newer' };

    session.ask(question);
    session.ask(newer);
    asked[0].send({ kind: 'token', text: 'old' });
    asked[0].fail(new Error('aborted'));
    asked[1].send({ kind: 'token', text: 'new' });
    await settle();

    expect(session.answer).toMatchObject({
      kind: 'streaming',
      question: newer,
      text: 'new'
    });
  });

  it('shows why a question cannot be asked', () => {
    const { session } = fakeAssistant();

    session.refuse('make it faster', 'Open a script in the editor first.');

    expect(session.answer).toEqual({
      kind: 'failed',
      title: 'make it faster',
      text: '',
      message: 'Open a script in the editor first.'
    });
  });
});
