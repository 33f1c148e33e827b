/**
 * The details of a script's dependencies, in a dialog: what it declares, what
 * that resolved to, and uv's full words; "Resolve again" after a failure, and
 * "Resolve Again as a New Version" once ready.
 */
import { Dialog, showDialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import {
  dependencyLabel,
  DependencyStatus,
  IDependencySnapshot,
  shownState
} from './status';

/**
 * Show `status`'s details, kept up to date while the dialog is open; `name`
 * names the script. With `mayRun`, a failure offers to resolve again.
 */
export async function showDependencies(
  status: DependencyStatus,
  name: string,
  trans: TranslationBundle,
  mayRun: boolean
): Promise<void> {
  const shown = shownState(status.snapshot);
  const retry = mayRun && shown === 'failed';
  const renew = mayRun && shown === 'ready';
  const buttons = [Dialog.cancelButton({ label: trans.__('Close') })];
  if (retry) {
    buttons.push(Dialog.okButton({ label: trans.__('Resolve again') }));
  }
  if (renew) {
    buttons.push(
      Dialog.okButton({
        label: trans.__('Resolve Again as a New Version'),
        caption: trans.__(
          'Newer releases within the requirements; earlier versions keep their pins'
        )
      })
    );
  }
  const answer = await showDialog({
    title: trans.__('Dependencies of %1', name),
    body: new DependencyDetails(status, trans),
    buttons
  });
  if (retry && answer.button.accept) {
    await status.prepare();
  } else if (renew && answer.button.accept) {
    await status.resolveAgain();
  }
}

/** The dialog's body, drawn again at each change of the state. */
class DependencyDetails extends ReactWidget {
  constructor(
    private readonly _status: DependencyStatus,
    private readonly _trans: TranslationBundle
  ) {
    super();
    this.addClass('jp-ScriptForge-dependencyDetails');
    _status.changed.connect(() => this.update(), this);
  }

  protected render(): JSX.Element {
    return <Details snapshot={this._status.snapshot} trans={this._trans} />;
  }
}

function Details(props: {
  snapshot: IDependencySnapshot;
  trans: TranslationBundle;
}): JSX.Element {
  const { snapshot, trans } = props;
  const { state, error } = snapshot;
  const shown = shownState(snapshot);
  const message = error ?? state?.message ?? null;
  if (state === null && error === null) {
    return <p>{trans.__('This script declares no dependencies.')}</p>;
  }
  return (
    <>
      {shown !== null && (
        <p className={`jp-ScriptForge-dependencyState jp-mod-${shown}`}>
          {dependencyLabel(snapshot, trans)}
        </p>
      )}
      {state !== null && (
        <>
          <h3>{trans.__('Declared')}</h3>
          {state.requires_python !== null && (
            <p className="jp-ScriptForge-dependencyPython">
              {trans.__('Python %1', state.requires_python)}
            </p>
          )}
          {state.dependencies.length > 0 ? (
            <ul className="jp-ScriptForge-dependencyList">
              {state.dependencies.map(dependency => (
                <li key={dependency}>
                  <code>{dependency}</code>
                </li>
              ))}
            </ul>
          ) : (
            <p>{trans.__('No packages.')}</p>
          )}
          <h3>{trans.__('Pinned for %1', state.interpreter)}</h3>
          {state.pins !== null ? (
            <ul className="jp-ScriptForge-dependencyPins">
              {state.pins.map(pin => (
                <li key={pin}>
                  <code>{pin}</code>
                </li>
              ))}
            </ul>
          ) : (
            <p>{trans.__('Not resolved yet.')}</p>
          )}
        </>
      )}
      {message !== null && (
        <>
          <h3>
            {shown === 'unsupported'
              ? trans.__('Why it cannot run')
              : trans.__('Message')}
          </h3>
          <pre className="jp-ScriptForge-dependencyMessage">{message}</pre>
        </>
      )}
    </>
  );
}
