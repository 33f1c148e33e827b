/**
 * Which script the user is editing: the file editor in front, and the catalog
 * script whose working copy it shows (null for any other file).
 */
import { ILabShell } from '@jupyterlab/application';
import { IEditorTracker } from '@jupyterlab/fileeditor';
import { Contents } from '@jupyterlab/services';
import { ISignal, Signal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';

import { IScript, IScriptForgeClient } from '../client';
import {
  ActiveScript,
  EditorWidget,
  IEditorQuery,
  IScriptEditorTracker,
  SyncOutcome
} from '../tokens';
import { reloadIfStale, reloadWhenWritten } from './editorSync';

// Saves come with a post-save snapshot on the server: look once it has landed.
const REFRESH_AFTER_SAVE_MS = 800;

/** The tracker, on JupyterLab's editor tracker and (when there) the shell. */
export class ScriptEditorTracker implements IScriptEditorTracker {
  constructor(
    private readonly _client: IScriptForgeClient,
    editors: IEditorTracker,
    contents: Contents.IManager,
    shell: ILabShell | null
  ) {
    this._editors = editors;
    this._contents = contents;
    editors.currentChanged.connect((_, widget) => this._follow(widget));
    // Another document (a notebook…) in front is no script: the panel says so.
    // A diff, a launcher or a run keeps the panel on the last script editor.
    shell?.currentChanged.connect((_, change) => {
      const widget = change.newValue;
      if (widget && editors.has(widget)) {
        this._follow(widget);
      } else if (widget && 'context' in widget) {
        this._follow(null);
      }
    });
    contents.fileChanged.connect((_, change) => {
      const path = change.newValue?.path ?? change.oldValue?.path;
      const active = this._active;
      if (active.kind !== 'none' && path === active.widget.context.path) {
        window.clearTimeout(this._timer);
        this._timer = window.setTimeout(
          () => void this.refresh(),
          REFRESH_AFTER_SAVE_MS
        );
      }
    });
    this._follow(editors.currentWidget);
  }

  get active(): ActiveScript {
    return this._active;
  }

  get changed(): ISignal<this, ActiveScript> {
    return this._changed;
  }

  async scriptAt(path: string): Promise<IScript | null> {
    // The server knows paths relative to its root, without a drive prefix.
    const local = this._contents.localPath(path);
    const script = await this._client.scripts.atPath(local);
    // Guard against a server that ignores the `path` filter.
    return script !== null && script.path === local ? script : null;
  }

  find(
    where?: string | IEditorQuery
  ): { widget: EditorWidget; script: IScript } | null {
    const { widgetId, path } =
      typeof where === 'string' ? { path: where } : (where ?? {});
    let widget: EditorWidget | null | undefined;
    if (widgetId !== undefined) {
      widget = this._editors.find(w => w.id === widgetId);
    } else if (path !== undefined) {
      widget = this._editors.find(
        w => w.context.path === path || w.context.localPath === path
      );
    } else {
      widget = this._editors.currentWidget;
    }
    const script = widget ? this._scripts.get(widget) : undefined;
    return widget && script ? { widget, script } : null;
  }

  reloadWhenWritten(
    widget: EditorWidget,
    expected: string
  ): Promise<SyncOutcome> {
    return reloadWhenWritten(widget, this._contents, expected);
  }

  async refresh(): Promise<void> {
    const active = this._active;
    if (active.kind === 'none') {
      this._changed.emit(active);
      return;
    }
    await this._resolve(active.widget, false);
  }

  private _follow(widget: Widget | null): void {
    const editor =
      widget && this._editors.has(widget) ? (widget as EditorWidget) : null;
    const current = this._active.kind === 'none' ? null : this._active.widget;
    if (editor === current) {
      return;
    }
    if (editor === null) {
      this._ticket += 1;
      this._set({ kind: 'none' });
      return;
    }
    if (!this._watched.has(editor)) {
      this._watched.add(editor);
      editor.context.pathChanged.connect(() => {
        if (this._activeWidget() === editor) {
          void this._resolve(editor, true);
        }
      });
      editor.disposed.connect(() => {
        this._watched.delete(editor);
        this._scripts.delete(editor);
        if (this._activeWidget() === editor) {
          this._set({ kind: 'none' });
        }
      });
    }
    void this._resolve(editor, true);
  }

  private async _resolve(widget: EditorWidget, showLoading: boolean) {
    const ticket = ++this._ticket;
    const known = this._scripts.get(widget);
    if (known) {
      // Switching back to an editor: show what we knew while we ask again.
      this._set({ kind: 'script', widget, script: known });
    } else if (showLoading) {
      this._set({ kind: 'loading', widget });
    }
    let next: ActiveScript;
    try {
      await widget.context.ready;
      const script = await this.scriptAt(widget.context.path);
      if (script) {
        this._scripts.set(widget, script);
        // A restore or another client's save may have rewritten the file.
        await reloadIfStale(widget, this._contents).catch(() => undefined);
      } else {
        this._scripts.delete(widget);
      }
      next = script
        ? { kind: 'script', widget, script }
        : { kind: 'not-script', widget };
    } catch (reason) {
      next = { kind: 'failed', widget, message: (reason as Error).message };
    }
    // A later switch of editor wins over this late answer.
    if (ticket === this._ticket) {
      this._set(next);
    }
  }

  private _activeWidget(): EditorWidget | null {
    return this._active.kind === 'none' ? null : this._active.widget;
  }

  private _set(active: ActiveScript): void {
    this._active = active;
    this._changed.emit(active);
  }

  private readonly _editors: IEditorTracker;
  private readonly _contents: Contents.IManager;
  private _active: ActiveScript = { kind: 'none' };
  private readonly _changed = new Signal<this, ActiveScript>(this);
  private readonly _watched = new Set<EditorWidget>();
  private readonly _scripts = new Map<EditorWidget, IScript>();
  private _ticket = 0;
  private _timer = 0;
}
