import { JupyterFrontEnd } from '@jupyterlab/application';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import { Message } from '@lumino/messaging';
import * as React from 'react';

import { IScript, ScriptForgeClient } from '../client';
import { GroupsView } from '../runs/groupsView';
import { CatalogView } from './catalogView';
import { HealthView } from './healthView';

/** What the panel asks of the application. */
export interface IScriptsPanelActions {
  openScript: (script: IScript) => void;
  newScript: () => void;
  /** The application's commands, for the Groups section's actions. */
  commands: JupyterFrontEnd['commands'];
}

/** The "Scripts" sidebar: the catalog, the groups, and the server's health below them. */
export class ScriptsPanel extends ReactWidget {
  constructor(
    private readonly _client: ScriptForgeClient,
    private readonly _actions: IScriptsPanelActions,
    private readonly _translator: ITranslator = nullTranslator
  ) {
    super();
    this.addClass('jp-ScriptForge-ScriptsPanel');
  }

  /** Fetch the catalog and the health report again. */
  refresh(): void {
    this._refreshToken += 1;
    this.update();
  }

  /** A catalog of at most this many scripts opens with every folder open (a setting). */
  set openFoldersUpTo(count: number) {
    this._openFoldersUpTo = count;
    this.update();
  }

  /** Show only the scripts carrying `tag`; "" shows the whole catalog. */
  filterByTag(tag: string): void {
    this._tag = tag;
    this.update();
  }

  /** Others may have changed the catalog while the panel was hidden. */
  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this.refresh();
  }

  protected render(): JSX.Element {
    const trans = this._translator.load('jupyter_scriptforge');
    return (
      <>
        <CatalogView
          client={this._client}
          trans={trans}
          refreshToken={this._refreshToken}
          openFoldersUpTo={this._openFoldersUpTo}
          tag={this._tag}
          onTagChange={tag => this.filterByTag(tag)}
          onOpen={this._actions.openScript}
          onNew={this._actions.newScript}
          onRefresh={() => this.refresh()}
        />
        <GroupsView
          client={this._client}
          trans={trans}
          commands={this._actions.commands}
          refreshToken={this._refreshToken}
        />
        <HealthView
          client={this._client}
          trans={trans}
          refreshToken={this._refreshToken}
        />
      </>
    );
  }

  private _refreshToken = 0;
  private _tag = '';
  private _openFoldersUpTo = 200;
}
