/**
 * The review of a proposed script: one editor showing the proposal over the
 * original, each changed chunk with its own Accept and Reject (@codemirror/merge),
 * and the guardrails' findings marked on their lines (@codemirror/lint).
 */
import { lintGutter, setDiagnostics } from '@codemirror/lint';
import { getChunks, unifiedMergeView } from '@codemirror/merge';
import { EditorSelection, Extension } from '@codemirror/state';
import { EditorView, lineNumbers } from '@codemirror/view';
import { jupyterTheme } from '@jupyterlab/codemirror';

import { IFinding, ILanguageDiagnostic } from '../client';
import { diagnosticsOf, languageMarks } from './marks';

export interface IReview {
  /** The text as reviewed so far: rejected chunks are back to the original. */
  content(): string;
  /** Chunks neither accepted nor rejected yet. */
  pending(): number;
  /**
   * Mark the guardrails' findings and the language server's diagnostics of the
   * text as it is now, replacing the ones shown.
   */
  showFindings(
    findings: readonly IFinding[],
    diagnostics?: readonly ILanguageDiagnostic[]
  ): void;
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
    showFindings: (findings, diagnostics = []) =>
      view.dispatch(
        setDiagnostics(view.state, [
          ...diagnosticsOf(findings, view.state.doc),
          ...languageMarks(diagnostics, view.state.doc)
        ])
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
