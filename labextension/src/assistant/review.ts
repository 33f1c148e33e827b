/**
 * The review of a proposed script: one editor showing the proposal over the
 * original, each changed chunk with its own Accept and Reject (@codemirror/merge),
 * and the guardrails' findings marked on their lines (@codemirror/lint).
 */
import { Diagnostic, lintGutter, setDiagnostics } from '@codemirror/lint';
import { getChunks, unifiedMergeView } from '@codemirror/merge';
import { EditorSelection, Extension, Text } from '@codemirror/state';
import { EditorView, lineNumbers } from '@codemirror/view';
import { jupyterTheme } from '@jupyterlab/codemirror';

import { IFinding } from '../client';

export interface IReview {
  /** The text as reviewed so far: rejected chunks are back to the original. */
  content(): string;
  /** Chunks neither accepted nor rejected yet. */
  pending(): number;
  /** Mark the findings of the text as it is now, replacing the ones shown. */
  showFindings(findings: readonly IFinding[]): void;
  /** Scroll to a line (1-based) and put the cursor there. */
  reveal(line: number): void;
  destroy(): void;
}

/**
 * Show `proposed` against `original` in `host`.
 *
 * @param onChange - called after each accept, reject or edit
 */
export function createReview(
  host: HTMLElement,
  original: string,
  proposed: string,
  language: Extension | null,
  onChange: () => void
): IReview {
  const view = new EditorView({
    parent: host,
    doc: proposed,
    extensions: [
      lineNumbers(),
      lintGutter(),
      jupyterTheme,
      language ?? [],
      unifiedMergeView({ original, mergeControls: true, gutter: true }),
      EditorView.updateListener.of(update => {
        // Accepting a chunk changes the original only: listen to every update.
        if (update.docChanged || update.transactions.length > 0) {
          onChange();
        }
      })
    ]
  });
  return {
    content: () => view.state.doc.toString(),
    pending: () => getChunks(view.state)?.chunks.length ?? 0,
    showFindings: findings =>
      view.dispatch(
        setDiagnostics(view.state, diagnosticsOf(findings, view.state.doc))
      ),
    reveal: line => {
      if (line < 1 || line > view.state.doc.lines) {
        return;
      }
      const at = view.state.doc.line(line).from;
      view.dispatch({
        selection: EditorSelection.cursor(at),
        effects: EditorView.scrollIntoView(at, { y: 'center' })
      });
      view.focus();
    },
    destroy: () => view.destroy()
  };
}

/**
 * Findings as diagnostics: from the finding's column to the end of its line; one
 * that blocks is an error, the others warnings. A line the text no longer has (the
 * report is older than the last edit) is left out.
 */
export function diagnosticsOf(
  findings: readonly IFinding[],
  doc: Text
): Diagnostic[] {
  return findings
    .filter(finding => finding.line >= 1 && finding.line <= doc.lines)
    .map(finding => {
      const line = doc.line(finding.line);
      const from = Math.min(
        line.from + Math.max(finding.column - 1, 0),
        line.to
      );
      return {
        from,
        to: line.to,
        severity: finding.blocks ? 'error' : 'warning',
        source: finding.rule,
        message: finding.message
      };
    });
}
