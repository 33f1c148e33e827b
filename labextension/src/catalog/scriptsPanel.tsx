/**
 * The "Scripts" sidebar: the catalog, the sections other features add (the
 * groups), and the server's health below them.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import { DisposableDelegate, IDisposable } from '@lumino/disposable';
import { Message } from '@lumino/messaging';
import * as React from 'react';

import { IScript, IScriptForgeClient } from '../client';
import { IScriptsPanelSection } from '../tokens';
import { CatalogView } from './catalogView';
import { HealthView } from './healthView';

/** What the panel asks of the application. */
export interface IScriptsPanelActions {
  openScript: (script: IScript) => void;
  newScript: () => void;
  /** Whether the user may create scripts (the write right). */
  mayCreate: () => boolean;
}

export class ScriptsPanel extends ReactWidget {
  constructor(
    private readonly _client: IScriptForgeClient,
    private readonly _actions: IScriptsPanelActions,
    private readonly _trans: TranslationBundle
  ) {
    super();
    this.addClass('jp-ScriptForge-ScriptsPanel');
  }

  /** Fetch the catalog, the sections and the health report again. */
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

  /** Show a section below the catalog, in the order of the sections' ranks. */
  addSection(section: IScriptsPanelSection): IDisposable {
    const entry = { key: ++this._sectionKeys, section };
    this._sections = [...this._sections, entry].sort(
      (a, b) => a.section.rank - b.section.rank
    );
    this.update();
    return new DisposableDelegate(() => {
      this._sections = this._sections.filter(other => other !== entry);
      this.update();
    });
  }

  /** Others may have changed the catalog while the panel was hidden. */
  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this.refresh();
  }

  protected render(): JSX.Element {
    const trans = this._trans;
    const refreshToken = this._refreshToken;
    return (
      <>
        <CatalogView
          client={this._client}
          trans={trans}
          refreshToken={refreshToken}
          openFoldersUpTo={this._openFoldersUpTo}
          tag={this._tag}
          onTagChange={tag => this.filterByTag(tag)}
          onOpen={this._actions.openScript}
          onNew={
            this._actions.mayCreate() ? this._actions.newScript : undefined
          }
          onRefresh={() => this.refresh()}
        />
        {this._sections.map(({ key, section }) => (
          <React.Fragment key={key}>
            {section.render({ refreshToken, trans })}
          </React.Fragment>
        ))}
        <HealthView
          client={this._client}
          trans={trans}
          refreshToken={refreshToken}
        />
      </>
    );
  }

  private _refreshToken = 0;
  private _tag = '';
  private _openFoldersUpTo = 200;
  private _sections: { key: number; section: IScriptsPanelSection }[] = [];
  private _sectionKeys = 0;
}
