/**
 * The guardrails: a report on any code, and an admin's audited override.
 */
import { ApiConnection } from './request';

/** One finding of the guardrails: a denied import or call, or a bandit issue. */
export interface IFinding {
  rule: string;
  /** The rule's name, e.g. `denied-import`. */
  name: string;
  /** Whether this finding alone makes the verdict `blocked`. */
  blocks: boolean;
  source: 'policy' | 'bandit';
  severity: string;
  confidence?: string | null;
  line: number;
  column: number;
  message: string;
  code: string;
}

/** What the guardrails say about some code. */
export interface IAnalysis {
  /** `blocked` code is not offered for a one-click run. */
  verdict: 'ok' | 'warn' | 'blocked';
  findings: IFinding[];
  /**
   * Whether the server holds this exact code: its runs are refused until an
   * admin overrides (only on code the assistant produced or a user kept).
   */
  held?: boolean;
}

export interface IGuardrailsClient {
  /**
   * The guardrails' report on any code; given the `original` it changes, what
   * was in the original already does not block.
   */
  analyze(content: string, original?: string): Promise<IAnalysis>;
  /**
   * Let code the guardrails block be run anyway: only for a ScriptForge admin
   * (else a 403), and recorded in the audit log with `reason`.
   */
  override(
    content: string,
    reason: string
  ): Promise<{ allowed: boolean; analysis: IAnalysis }>;
}

export class GuardrailsClient implements IGuardrailsClient {
  constructor(private readonly _api: ApiConnection) {}

  analyze(content: string, original?: string): Promise<IAnalysis> {
    return this._api.post<IAnalysis>(
      'analyze',
      original === undefined ? { content } : { content, original }
    );
  }

  override(
    content: string,
    reason: string
  ): Promise<{ allowed: boolean; analysis: IAnalysis }> {
    return this._api.post('analyze/override', { content, reason });
  }
}
