/**
 * The script editor's language-server indicator: which interpreter's language
 * server serves the file, and whether it is starting, ready or failed (why, on
 * hover, and in a dialog on click).
 */
import { showErrorMessage } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import { IFileLanguageStatus, ILanguageService } from '../tokens';

/** How often to ask while the server is on its way, and once it is settled. */
const BUSY_POLL_MS = 1500;
const SETTLED_POLL_MS = 10000;

export class LanguageStatusIndicator extends ReactWidget {
  constructor(
    private readonly _language: ILanguageService,
    private readonly _path: () => string,
    private readonly _trans: TranslationBundle
  ) {
    super();
    this.addClass('jp-ScriptForge-languageStatus');
    void this.refresh();
  }

  /** Ask again now (the script's interpreter may have changed). */
  async refresh(): Promise<void> {
    window.clearTimeout(this._timer);
    if (this.isDisposed) {
      return;
    }
    try {
      this._status = await this._language.statusOf(this._path());
      this._error = null;
    } catch (reason) {
      this._error = (reason as Error).message;
    }
    this.update();
    const state = this._status?.server?.state;
    const settled = state === 'ready' || state === 'failed';
    this._timer = window.setTimeout(
      () => void (this.isVisible ? this.refresh() : this._later()),
      settled ? SETTLED_POLL_MS : BUSY_POLL_MS
    );
  }

  dispose(): void {
    window.clearTimeout(this._timer);
    super.dispose();
  }

  protected render(): JSX.Element | null {
    const trans = this._trans;
    if (this._error !== null) {
      return (
        <span className="jp-mod-failed" title={this._error}>
          {trans.__('Language server: unknown')}
        </span>
      );
    }
    const status = this._status;
    if (status === null) {
      return <span>{trans.__('Language server…')}</span>;
    }
    if (status.interpreter === null) {
      return (
        <span title={trans.__('No language server takes this file.')}>
          {trans.__('No language server')}
        </span>
      );
    }
    const server = status.server;
    const state = server?.state ?? 'starting';
    const words = {
      starting: trans.__('starting…'),
      ready: trans.__('ready'),
      failed: trans.__('failed'),
      stopped: trans.__('idle')
    }[state];
    const title =
      state === 'failed'
        ? trans.__(
            'The language server of %1 failed: %2. Click for details.',
            status.interpreter,
            server?.reason ?? ''
          )
        : state === 'ready'
          ? trans.__(
              'Completion, hover and diagnostics from the language server of %1 (%2).',
              status.interpreter,
              server?.where ?? ''
            )
          : state === 'stopped'
            ? trans.__(
                'The language server of %1 stopped (%2); it starts again when needed.',
                status.interpreter,
                server?.reason ?? ''
              )
            : trans.__(
                'The language server of %1 is starting.',
                status.interpreter
              );
    return (
      <button
        className={`jp-ScriptForge-languageStatusButton jp-mod-${state}`}
        title={title}
        aria-label={title}
        onClick={() => {
          if (state === 'failed') {
            void showErrorMessage(
              trans.__('Language server of %1', status.interpreter ?? ''),
              new Error(server?.reason ?? trans.__('No reason was given.'))
            );
          } else {
            void this.refresh();
          }
        }}
      >
        <span className="jp-ScriptForge-languageStatusDot" />
        {status.interpreter} · {words}
      </button>
    );
  }

  /** Hidden: look again once shown. */
  private _later(): void {
    this._timer = window.setTimeout(
      () => void (this.isVisible ? this.refresh() : this._later()),
      BUSY_POLL_MS
    );
  }

  private _status: IFileLanguageStatus | null = null;
  private _error: string | null = null;
  private _timer = 0;
}
