/**
 * A side-by-side diff of two texts with @codemirror/merge, styled like
 * JupyterLab's editor (theme variables, so light and dark both work).
 */
import { MergeView } from '@codemirror/merge';
import { EditorState, Extension } from '@codemirror/state';
import { EditorView, lineNumbers } from '@codemirror/view';
import { jupyterTheme } from '@jupyterlab/codemirror';
import { Message } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';

/** The CSS class of a diff view. */
export const DIFF_CLASS = 'jp-ScriptForge-diff';

/** One side of a diff. */
export interface IDiffSide {
  /** What the header says about this side, e.g. "v3 · alice · Fix totals". */
  title: string;
  /** Shorter name, e.g. "v3" or "working copy". */
  name: string;
  content: string;
}

export interface IDiffViewOptions {
  left: IDiffSide;
  right: IDiffSide;
  /** Highlighting of the script's language, when it could be loaded. */
  language: Extension | null;
  /** Let the user edit the right side and take chunks over from the left. */
  editable?: boolean;
}

/** Two texts side by side, changes marked; read-only unless `editable`. */
export class DiffView extends Widget {
  constructor(private readonly _options: IDiffViewOptions) {
    super();
    this.addClass(DIFF_CLASS);
    const header = document.createElement('div');
    header.className = 'jp-ScriptForge-diffHeader';
    header.append(
      side(_options.left, 'jp-ScriptForge-diffSide-left'),
      side(_options.right, 'jp-ScriptForge-diffSide-right')
    );
    this._host = document.createElement('div');
    this._host.className = 'jp-ScriptForge-diffBody';
    this.node.append(header, this._host);
  }

  /** The right side's text, with the user's edits when editable. */
  get rightContent(): string {
    return this._merge?.b.state.doc.toString() ?? this._options.right.content;
  }

  /** The merge view, once attached. */
  get merge(): MergeView | null {
    return this._merge;
  }

  dispose(): void {
    this._merge?.destroy();
    this._merge = null;
    super.dispose();
  }

  // CodeMirror measures the DOM: build it once the node is in the page.
  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    if (this._merge !== null) {
      return;
    }
    const { left, right, language, editable } = this._options;
    const common: Extension[] = [lineNumbers(), jupyterTheme, language ?? []];
    const readOnly = [
      EditorState.readOnly.of(true),
      EditorView.editable.of(false)
    ];
    this._merge = new MergeView({
      a: { doc: left.content, extensions: [...common, ...readOnly] },
      b: {
        doc: right.content,
        extensions: editable ? common : [...common, ...readOnly]
      },
      parent: this._host,
      gutter: true,
      highlightChanges: true,
      revertControls: editable ? 'a-to-b' : undefined,
      collapseUnchanged: editable ? undefined : { margin: 3, minSize: 6 }
    });
  }

  private readonly _host: HTMLElement;
  private _merge: MergeView | null = null;
}

function side(diffSide: IDiffSide, className: string): HTMLElement {
  const node = document.createElement('div');
  node.className = `jp-ScriptForge-diffSide ${className}`;
  node.textContent = diffSide.title;
  node.title = diffSide.title;
  return node;
}
