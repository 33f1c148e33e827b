/**
 * The script editor's dependency indicator: how many packages the script
 * declares (PEP 723) and where they stand ("2 packages · installing…"), the
 * pins or uv's words on hover, the details in a dialog on click. Hidden when the
 * script declares none.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import { Message } from '@lumino/messaging';
import * as React from 'react';

import {
  dependencyLabel,
  dependencyTooltip,
  DependencyStatus,
  isBusy,
  shownState
} from './status';

/** The CSS class of the indicator's button; `jp-mod-<state>` says the state. */
export const DEPENDENCY_STATUS_CLASS = 'jp-ScriptForge-dependencyStatus';

export class DependencyIndicator extends ReactWidget {
  /**
   * @param _status - the editor's dependency state, which this follows
   * @param _open - show the details (the dialog)
   */
  constructor(
    private readonly _status: DependencyStatus,
    private readonly _trans: TranslationBundle,
    private readonly _open: () => void
  ) {
    super();
    this.addClass('jp-ScriptForge-dependencies');
    _status.changed.connect(this._onChanged, this);
    this._onChanged();
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    // A poll that came while the editor was out of sight goes now.
    this._status.resume();
  }

  protected render(): JSX.Element | null {
    const snapshot = this._status.snapshot;
    const state = shownState(snapshot);
    if (state === null) {
      return null;
    }
    const label = dependencyLabel(snapshot, this._trans);
    return (
      <button
        className={`${DEPENDENCY_STATUS_CLASS} jp-mod-${state}`}
        title={dependencyTooltip(snapshot, this._trans)}
        aria-label={this._trans.__('%1. Show the dependencies.', label)}
        aria-haspopup="dialog"
        onClick={this._open}
      >
        <span
          className={
            isBusy(state)
              ? 'jp-ScriptForge-dependencySpinner'
              : 'jp-ScriptForge-dependencyDot'
          }
        />
        {label}
      </button>
    );
  }

  private _onChanged(): void {
    this.setHidden(shownState(this._status.snapshot) === null);
    this.update();
  }
}
