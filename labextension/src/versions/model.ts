/**
 * The history the Version panel shows: the active script's versions, page by page.
 */
import { ISignal, Signal } from '@lumino/signaling';

import { IScript, IScriptForgeClient, IVersion } from '../client';
import { ActiveScript, IScriptEditorTracker } from '../tokens';

/** How many versions one page of the history holds. */
export const PAGE_SIZE = 50;

export type HistoryState =
  | { kind: 'empty' }
  | { kind: 'loading' }
  | { kind: 'not-script'; path: string }
  | { kind: 'failed'; message: string }
  | {
      kind: 'ready';
      script: IScript;
      versions: IVersion[];
      /** Whether older versions remain on the server. */
      more: boolean;
      loadingMore: boolean;
    };

/** The active script's history, kept in step with the editor tracker. */
export class VersionsModel {
  constructor(
    private readonly _client: IScriptForgeClient,
    readonly tracker: IScriptEditorTracker
  ) {
    tracker.changed.connect((_, active) => void this._load(active));
    void this._load(tracker.active);
  }

  get state(): HistoryState {
    return this._state;
  }

  /** Emitted whenever `state` or `selected` changes. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** The script shown, when there is one. */
  get script(): IScript | null {
    return this._state.kind === 'ready' ? this._state.script : null;
  }

  /** The version picked as the first side of "Compare with Selected". */
  get selected(): IVersion | null {
    return this._selected;
  }

  set selected(version: IVersion | null) {
    this._selected = version;
    this._changed.emit();
  }

  /** A version of the shown history by id. */
  find(id: number): IVersion | null {
    if (this._state.kind !== 'ready') {
      return null;
    }
    return this._state.versions.find(v => v.id === id) ?? null;
  }

  /** Fetch the script and its newest versions again. */
  refresh(): Promise<void> {
    return this.tracker.refresh();
  }

  /** Fetch the next page of older versions. */
  async loadOlder(): Promise<void> {
    const state = this._state;
    if (state.kind !== 'ready' || !state.more || state.loadingMore) {
      return;
    }
    this._set({ ...state, loadingMore: true });
    const ticket = this._ticket;
    try {
      const oldest = state.versions[state.versions.length - 1];
      const older = await this._client.versions.list(state.script.id, {
        limit: PAGE_SIZE,
        before: oldest.seq
      });
      if (ticket === this._ticket) {
        this._set({
          ...state,
          versions: [...state.versions, ...older],
          more: older.length === PAGE_SIZE,
          loadingMore: false
        });
      }
    } catch (reason) {
      if (ticket === this._ticket) {
        this._set({ kind: 'failed', message: (reason as Error).message });
      }
    }
  }

  private async _load(active: ActiveScript): Promise<void> {
    const ticket = ++this._ticket;
    switch (active.kind) {
      case 'none':
        this._selected = null;
        this._set({ kind: 'empty' });
        return;
      case 'loading':
        this._set({ kind: 'loading' });
        return;
      case 'not-script':
        this._selected = null;
        this._set({
          kind: 'not-script',
          path: active.widget.context.localPath
        });
        return;
      case 'failed':
        this._set({ kind: 'failed', message: active.message });
        return;
    }
    const { script } = active;
    if (this._selected?.script_id !== script.id) {
      this._selected = null;
    }
    // A refresh keeps the rows on screen until the new ones arrive.
    if (this._state.kind !== 'ready' || this._state.script.id !== script.id) {
      this._set({ kind: 'loading' });
    }
    try {
      const versions = await this._client.versions.list(script.id, {
        limit: PAGE_SIZE
      });
      if (ticket === this._ticket) {
        this._set({
          kind: 'ready',
          script,
          versions,
          more: versions.length === PAGE_SIZE,
          loadingMore: false
        });
      }
    } catch (reason) {
      if (ticket === this._ticket) {
        this._set({ kind: 'failed', message: (reason as Error).message });
      }
    }
  }

  private _set(state: HistoryState): void {
    this._state = state;
    this._changed.emit();
  }

  private _state: HistoryState = { kind: 'empty' };
  private _selected: IVersion | null = null;
  private _ticket = 0;
  private readonly _changed = new Signal<this, void>(this);
}
