/**
 * The editor of one group, in the main area: a tab that asks before dropping
 * unsaved changes.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import {
  Dialog,
  MainAreaWidget,
  showDialog,
  WidgetTracker
} from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { listIcon, ReactWidget } from '@jupyterlab/ui-components';
import { Message } from '@lumino/messaging';
import * as React from 'react';

import { IScriptForgeClient } from '../client';
import { IParameterForms, IResourceLabels } from '../tokens';
import { GroupEditorView, IGroupEditorActions } from './editorView';
import { GroupChanges } from './events';

/** The editor of one group, in the main area. */
export class GroupEditor extends ReactWidget {
  constructor(
    readonly groupId: number,
    private readonly _client: IScriptForgeClient,
    private readonly _labels: IResourceLabels,
    private readonly _changes: GroupChanges,
    private readonly _trans: TranslationBundle,
    private readonly _actions: IGroupEditorActions,
    private readonly _forms: IParameterForms | null = null
  ) {
    super();
    this.addClass('jp-ScriptForge-GroupEditor');
    this.title.label = _trans.__('Group');
  }

  /** Whether the editor holds changes not saved yet. */
  get dirty(): boolean {
    return this._dirty;
  }

  /**
   * Ask what to do with unsaved changes before closing: true to close (saved or
   * discarded), false to stay (cancelled, or the save failed and says why).
   */
  async confirmClose(): Promise<boolean> {
    if (!this._dirty) {
      return true;
    }
    const trans = this._trans;
    const answer = await showDialog({
      title: trans.__('Unsaved Changes'),
      body: trans.__(
        'The group “%1” has changes that are not saved. Save them before closing?',
        this.title.label
      ),
      buttons: [
        Dialog.cancelButton(),
        Dialog.warnButton({ label: trans.__('Discard'), actions: ['discard'] }),
        Dialog.okButton({ label: trans.__('Save'), actions: ['save'] })
      ],
      defaultButton: 2
    });
    if (!answer.button.accept) {
      return false;
    }
    if (answer.button.actions.includes('save')) {
      return (await this._save?.()) ?? false;
    }
    return true;
  }

  protected render(): JSX.Element {
    return (
      <GroupEditorView
        groupId={this.groupId}
        client={this._client}
        labels={this._labels}
        changes={this._changes}
        trans={this._trans}
        actions={this._actions}
        forms={this._forms}
        onSave={save => {
          this._save = save;
        }}
        onState={(name, dirty) => {
          this._dirty = dirty;
          this.title.label = name || this._trans.__('Group');
          this.title.caption = this._trans.__('Group “%1”', name);
          // JupyterLab draws a dirty tab with a dot in place of its close icon.
          this.title.className = dirty ? 'jp-mod-dirty' : '';
        }}
      />
    );
  }

  private _dirty = false;
  private _save: (() => Promise<boolean>) | null = null;
}

/**
 * The main-area widget of a group editor: closing its tab with unsaved changes asks
 * first (Save, Discard, Cancel) instead of dropping them.
 */
export class GroupEditorWidget extends MainAreaWidget<GroupEditor> {
  protected onCloseRequest(msg: Message): void {
    if (!this.content.dirty) {
      super.onCloseRequest(msg);
      return;
    }
    if (this._asking) {
      return;
    }
    this._asking = true;
    void this.content
      .confirmClose()
      .then(close => {
        if (close) {
          this.dispose();
        }
      })
      .finally(() => {
        this._asking = false;
      });
  }

  private _asking = false;
}

/** The open group editors: one tab per group, found again rather than opened twice. */
export class GroupEditors {
  constructor(
    private readonly _app: JupyterFrontEnd,
    private readonly _create: (groupId: number) => GroupEditor
  ) {}

  /** The tabs, for the layout restorer. */
  readonly tracker = new WidgetTracker<MainAreaWidget<GroupEditor>>({
    namespace: 'scriptforge-group'
  });

  /** Bring the group's editor to the front, opening it if needed. */
  open(groupId: number): void {
    const { shell } = this._app;
    const open = this.tracker.find(
      widget => widget.content.groupId === groupId
    );
    if (open) {
      shell.activateById(open.id);
      return;
    }
    const content = this._create(groupId);
    content.title.icon = listIcon;
    const widget = new GroupEditorWidget({ content });
    widget.id = `jp-scriptforge-group-${groupId}`;
    widget.toolbar.hide();
    void this.tracker.add(widget);
    shell.add(widget, 'main');
    shell.activateById(widget.id);
  }
}
