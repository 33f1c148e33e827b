/**
 * The script editor's interpreter picker: the one interpreter a script runs on.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { HTMLSelect, ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import { IInterpreterInfo, IScript, IScriptForgeClient } from '../client';
import { tryOrShowError } from '../ui/errors';

/** The select's value for "no interpreter named: the server's default". */
const SERVER_DEFAULT = '';

/** Shows and sets `script.interpreter`. */
export class InterpreterPicker extends ReactWidget {
  constructor(
    private readonly _client: IScriptForgeClient,
    private _script: IScript,
    private readonly _trans: TranslationBundle,
    private readonly _onChanged: (script: IScript) => void
  ) {
    super();
    this.addClass('jp-ScriptForge-interpreterPicker');
    void this._loadInterpreters();
  }

  /** The script changed elsewhere (e.g. another editor's picker). */
  set script(script: IScript) {
    this._script = script;
    this.update();
  }

  protected render(): JSX.Element {
    const trans = this._trans;
    const current = this._script.interpreter ?? SERVER_DEFAULT;
    const known = this._interpreters.some(i => i.name === current);
    return (
      <HTMLSelect
        value={current}
        disabled={this._busy}
        aria-label={trans.__('Interpreter')}
        title={trans.__('The Python interpreter this script runs on')}
        onChange={event => void this._choose(event.currentTarget.value)}
      >
        <option value={SERVER_DEFAULT}>{trans.__('Server default')}</option>
        {this._interpreters.map(i => (
          <option key={i.name} value={i.name}>
            {`${i.name} (${i.implementation} ${i.version})`}
          </option>
        ))}
        {current !== SERVER_DEFAULT && !known && (
          // A name no server here offers (yet): still show what the script says.
          <option value={current}>{trans.__('%1 (not found)', current)}</option>
        )}
      </HTMLSelect>
    );
  }

  private async _loadInterpreters(): Promise<void> {
    try {
      this._interpreters = await this._client.interpreters.list();
    } catch {
      this._interpreters = [];
    }
    this.update();
  }

  private async _choose(value: string): Promise<void> {
    this._busy = true;
    this.update();
    try {
      await tryOrShowError(
        this._trans.__('Cannot change the interpreter'),
        async () => {
          this._script = await this._client.scripts.update(this._script.id, {
            interpreter: value === SERVER_DEFAULT ? null : value
          });
          this._onChanged(this._script);
        }
      );
    } finally {
      this._busy = false;
      this.update();
    }
  }

  private _interpreters: IInterpreterInfo[] = [];
  private _busy = false;
}
