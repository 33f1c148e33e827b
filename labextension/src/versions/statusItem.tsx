/**
 * The status bar item of a script editor: "v5 · draft", "v5 · published" or
 * "v5 · published v4" (the head, and which version others run).
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { historyIcon, ReactWidget } from '@jupyterlab/ui-components';
import { ISignal, Signal } from '@lumino/signaling';
import * as React from 'react';

import { IScript, IScriptForgeClient } from '../client';
import { IScriptEditorTracker } from '../tokens';

type Shown =
  | { kind: 'hidden' }
  | { kind: 'loading' }
  /** The server did not answer: no claim about the versions. */
  | { kind: 'unknown' }
  | {
      kind: 'ready';
      head: number | null;
      published: number | null;
      script: IScript;
    };

export class VersionStatus extends ReactWidget {
  constructor(
    private readonly _client: IScriptForgeClient,
    private readonly _tracker: IScriptEditorTracker,
    private readonly _trans: TranslationBundle,
    private readonly _onClick: () => void
  ) {
    super();
    this.addClass('jp-ScriptForge-versionStatus');
    _tracker.changed.connect(() => void this._load());
    void this._load();
  }

  /** Emitted when the item should appear or go (a script editor came or went). */
  get activeStateChanged(): ISignal<this, void> {
    return this._activeStateChanged;
  }

  /** Shown only for a script editor. */
  get isActive(): boolean {
    return this._shown.kind !== 'hidden';
  }

  protected render(): JSX.Element | null {
    const trans = this._trans;
    const shown = this._shown;
    if (shown.kind === 'hidden') {
      return null;
    }
    let text = trans.__('Versions…');
    let tooltip = trans.__('Show the versions of this script');
    if (shown.kind === 'unknown') {
      tooltip = trans.__(
        'The version of this script is unknown for now. Click to see the versions.'
      );
    }
    if (shown.kind === 'ready' && shown.head !== null) {
      const head = `v${shown.head}`;
      if (shown.published === null) {
        text = trans.__('%1 · draft', head);
        tooltip = trans.__(
          'Newest version %1; no version is published yet. Click to see the versions.',
          head
        );
      } else if (shown.published === shown.head) {
        text = trans.__('%1 · published', head);
        tooltip = trans.__(
          'Newest version %1 is the published one. Click to see the versions.',
          head
        );
      } else {
        text = trans.__('%1 · published v%2', head, shown.published);
        tooltip = trans.__(
          'Newest version %1; others run the published v%2. Click to see the versions.',
          head,
          shown.published
        );
      }
    }
    return (
      <button
        className="jp-ScriptForge-versionStatusButton"
        title={tooltip}
        aria-label={tooltip}
        data-state={
          shown.kind === 'ready'
            ? shown.published === null
              ? 'draft'
              : shown.published === shown.head
                ? 'published'
                : 'behind'
            : shown.kind
        }
        onClick={this._onClick}
      >
        <historyIcon.react
          tag="span"
          className="jp-ScriptForge-versionStatusIcon"
        />
        <span className="jp-ScriptForge-versionStatusText">{text}</span>
      </button>
    );
  }

  private async _load(): Promise<void> {
    const active = this._tracker.active;
    const ticket = ++this._ticket;
    const wasActive = this._shown.kind !== 'hidden';
    const shown = this._shown;
    if (active.kind !== 'script') {
      // While the next editor loads, stay in place (no flicker) but claim nothing.
      this._shown =
        active.kind === 'loading' && wasActive
          ? { kind: 'loading' }
          : { kind: 'hidden' };
    } else if (shown.kind !== 'ready' || shown.script.id !== active.script.id) {
      // Another script: the last one's versions must not show under its editor.
      // A refresh of the same script keeps what it shows until the answer.
      this._shown = { kind: 'loading' };
    }
    this._changedActive(wasActive);
    this.update();
    if (active.kind !== 'script') {
      return;
    }
    const { script } = active;
    try {
      const [head] = await this._client.versions.list(script.id, {
        limit: 1
      });
      let published: number | null = null;
      if (script.published_version_id !== null) {
        published =
          head && head.id === script.published_version_id
            ? head.seq
            : await this._seqOf(script.published_version_id);
      }
      if (ticket === this._ticket) {
        this._shown = {
          kind: 'ready',
          head: head?.seq ?? null,
          published,
          script
        };
        this.update();
      }
    } catch {
      // The panel shows errors; the status bar only stops claiming a version.
      if (ticket === this._ticket) {
        this._shown = { kind: 'unknown' };
        this.update();
      }
    }
  }

  private async _seqOf(versionId: number): Promise<number> {
    let seq = this._seqs.get(versionId);
    if (seq === undefined) {
      seq = (await this._client.versions.get(versionId)).seq;
      this._seqs.set(versionId, seq);
    }
    return seq;
  }

  private _changedActive(wasActive: boolean): void {
    if (wasActive !== (this._shown.kind !== 'hidden')) {
      this._activeStateChanged.emit();
    }
  }

  private _shown: Shown = { kind: 'hidden' };
  private _ticket = 0;
  // Versions never change: their seq can be kept.
  private readonly _seqs = new Map<number, number>();
  private readonly _activeStateChanged = new Signal<this, void>(this);
}
