/**
 * The assistant: answers streamed as server-sent events, and the code it
 * proposes kept as a version or a new script.
 */
import { IErrorBody } from './errors';
import { readEvents } from './events';
import { IAnalysis } from './guardrails';
import { ILanguageDiagnostic } from './language';
import { ApiConnection } from './request';
import { INewScript, IScript } from './scripts';
import { IVersion } from './versions';

/** What the assistant is asked to do. */
export type AssistantRequest =
  | { action: 'generate'; prompt: string; interpreter?: string | null }
  | {
      action: 'edit';
      script_id: number;
      instruction: string;
      content?: string;
    }
  | {
      action: 'explain';
      content: string;
      selection?: string;
      /** What the reader wants to know, if anything in particular. */
      question?: string;
    }
  | { action: 'fix'; run_id: number };

/** The end of an assistant answer. */
export interface IAssistantResult {
  /** The whole answer as the model wrote it. */
  text: string;
  /** The script it proposes, for generate, edit and fix. */
  code?: string | null;
  /** The proposal as a unified diff against the script, for edit and fix. */
  diff?: string | null;
  model?: string;
  analysis?: IAnalysis | null;
  /** The interpreter the answer is for, by name. */
  interpreter?: string | null;
  /** What the interpreter's language server finds in `code`; null if it could not say. */
  diagnostics?: ILanguageDiagnostic[] | null;
  /** Why there are no diagnostics. */
  diagnostics_error?: string;
}

/** An event of an assistant answer. */
export type AssistantEvent =
  | { kind: 'token'; text: string }
  | { kind: 'done'; result: IAssistantResult }
  | { kind: 'error'; error?: string; message?: string };

/** An assistant edit the user accepted, to record as a version. */
export interface IAcceptedEdit {
  script_id: number;
  content: string;
  base_version_id: number;
  message?: string;
}

export interface IAssistantClient {
  /**
   * Ask the assistant: `onEvent` gets the answer's text as the model writes it,
   * then its end (with code, diff and guardrail report when there are). Resolves
   * at the end; abort `signal` to stop.
   */
  ask(
    request: AssistantRequest,
    onEvent: (event: AssistantEvent) => void,
    signal?: AbortSignal
  ): Promise<void>;
  /** Record an accepted assistant edit as a version authored "assistant for <user>". */
  acceptEdit(
    accepted: IAcceptedEdit
  ): Promise<IVersion & { analysis: IAnalysis | null }>;
  /**
   * A new script of generated code, authored "assistant for <user>"; the
   * server checks the code as kept and holds it if the guardrails block it.
   */
  createScript(
    script: INewScript & { content: string }
  ): Promise<IScript & { analysis: IAnalysis | null }>;
}

export class AssistantClient implements IAssistantClient {
  constructor(private readonly _api: ApiConnection) {}

  async ask(
    request: AssistantRequest,
    onEvent: (event: AssistantEvent) => void,
    signal?: AbortSignal
  ): Promise<void> {
    const { action, ...body } = request;
    await readEvents(
      this._api,
      `assistant/${action}`,
      { method: 'POST', body: JSON.stringify(body), signal },
      (kind, payload) => {
        const event = assistantEventOf(kind, payload);
        if (event !== null) {
          onEvent(event);
        }
        return event !== null && event.kind !== 'token';
      }
    );
  }

  acceptEdit(
    accepted: IAcceptedEdit
  ): Promise<IVersion & { analysis: IAnalysis | null }> {
    return this._api.post('assistant/accept', accepted);
  }

  createScript(
    script: INewScript & { content: string }
  ): Promise<IScript & { analysis: IAnalysis | null }> {
    return this._api.post('assistant/create', script);
  }
}

/** An event of an assistant answer; null for events this client does not know. */
function assistantEventOf(
  kind: string,
  payload: unknown
): AssistantEvent | null {
  switch (kind) {
    case 'token':
      return { kind: 'token', text: (payload as { text: string }).text };
    case 'done':
      return { kind: 'done', result: payload as IAssistantResult };
    case 'error':
      return { kind: 'error', ...(payload as IErrorBody) };
    default:
      return null;
  }
}
