/**
 * What the Assistant panel, its plugin and its views share: the questions, the
 * answer as it streams, and what the panel asks of the application.
 */
import { Extension } from '@codemirror/state';

import {
  AssistantRequest,
  IAnalysis,
  IAssistantResult,
  ILanguageDiagnostic
} from '../client';

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
  /**
   * What the interpreter's language server finds in the code as reviewed; null
   * when there is no language service.
   */
  diagnose: (
    code: string,
    interpreter: string | null
  ) => Promise<ILanguageDiagnostic[] | null>;
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

/** The answer the panel shows, as it streams in. */
export type Answer =
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
