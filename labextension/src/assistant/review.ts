/**
 * The review of a proposed script: one editor showing the proposal over the
 * original, each changed chunk with its own Accept and Reject (@codemirror/merge).
 */
import { getChunks, unifiedMergeView } from '@codemirror/merge';
import { Extension } from '@codemirror/state';
import { EditorView, lineNumbers } from '@codemirror/view';
import { jupyterTheme } from '@jupyterlab/codemirror';

export interface IReview {
  /** The text as reviewed so far: rejected chunks are back to the original. */
  content(): string;
  /** Chunks neither accepted nor rejected yet. */
  pending(): number;
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
    destroy: () => view.destroy()
  };
}
