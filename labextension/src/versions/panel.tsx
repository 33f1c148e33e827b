/**
 * The Version panel (right sidebar): the history of the script in the editor.
 */
import { Time } from '@jupyterlab/coreutils';
import { TranslationBundle } from '@jupyterlab/translation';
import {
  Button,
  ReactWidget,
  refreshIcon,
  ToolbarButtonComponent
} from '@jupyterlab/ui-components';
import { Message } from '@lumino/messaging';
import * as React from 'react';

import { IVersion } from '../client';
import { PanelHeader } from '../ui/header';
import { ErrorNote, LoadingNote } from '../ui/notes';
import { fileName } from './actions';
import { HistoryState, VersionsModel } from './model';
import { IVersionActions, VersionRow } from './versionRow';

/** How often the relative times ("2 minutes ago") are drawn again. */
const CLOCK_MS = 30_000;

/**
 * The sidebar widget; it renders whenever the model changes, and while visible
 * every `CLOCK_MS` so that relative times stay true.
 */
export class VersionsPanel extends ReactWidget {
  constructor(
    readonly model: VersionsModel,
    private readonly _actions: IVersionActions,
    private readonly _trans: TranslationBundle
  ) {
    super();
    this.addClass('jp-ScriptForge-VersionsPanel');
    model.changed.connect(() => this.update());
  }

  dispose(): void {
    this._stopClock();
    super.dispose();
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    if (this.isVisible) {
      this._startClock();
    }
  }

  protected onBeforeDetach(msg: Message): void {
    this._stopClock();
    super.onBeforeDetach(msg);
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this._startClock();
    this.update(); // The times went on while the panel was hidden.
  }

  protected onBeforeHide(msg: Message): void {
    this._stopClock();
    super.onBeforeHide(msg);
  }

  private _startClock(): void {
    if (this._clock === 0) {
      this._clock = window.setInterval(() => this.update(), CLOCK_MS);
    }
  }

  private _stopClock(): void {
    window.clearInterval(this._clock);
    this._clock = 0;
  }

  protected render(): JSX.Element {
    const { model } = this;
    const trans = this._trans;
    const script = model.script;
    return (
      <>
        <PanelHeader title={trans.__('Versions')}>
          <ToolbarButtonComponent
            icon={refreshIcon}
            tooltip={trans.__('Refresh')}
            onClick={() => void model.refresh()}
          />
        </PanelHeader>
        {script && (
          <div className="jp-ScriptForge-versionsScript" title={script.path}>
            {fileName(script)}
            {script.folder && (
              <span className="jp-ScriptForge-versionsFolder">
                {script.folder}
              </span>
            )}
          </div>
        )}
        {model.selected && (
          <div className="jp-ScriptForge-compareBar" role="status">
            <span>
              {trans.__(
                '%1 selected: pick another version and choose “Compare with %1”.',
                `v${model.selected.seq}`
              )}
            </span>
            <Button
              minimal
              small
              onClick={() => (model.selected = null)}
              aria-label={trans.__('Clear the selection')}
            >
              {trans.__('Clear')}
            </Button>
          </div>
        )}
        <History
          state={model.state}
          selected={model.selected}
          trans={trans}
          actions={this._actions}
          onOlder={() => void model.loadOlder()}
          onRetry={() => void model.refresh()}
        />
      </>
    );
  }

  private _clock = 0;
}

function History(props: {
  state: HistoryState;
  selected: IVersion | null;
  trans: TranslationBundle;
  actions: IVersionActions;
  onOlder: () => void;
  onRetry: () => void;
}): JSX.Element {
  const { state, trans } = props;
  switch (state.kind) {
    case 'empty':
      return (
        <div className="jp-ScriptForge-empty">
          <p>{trans.__('Open a script in the editor to see its versions.')}</p>
        </div>
      );
    case 'loading':
      return <LoadingNote>{trans.__('Loading versions…')}</LoadingNote>;
    case 'not-script':
      return (
        <div className="jp-ScriptForge-empty">
          <p>
            {trans.__(
              '“%1” is not a ScriptForge script, so it has no versions.',
              state.path
            )}
          </p>
          <p>{trans.__('Scripts are created in the Scripts panel.')}</p>
        </div>
      );
    case 'failed':
      return (
        <>
          <ErrorNote message={state.message} />
          <div className="jp-ScriptForge-empty">
            <Button small onClick={props.onRetry}>
              {trans.__('Try Again')}
            </Button>
          </div>
        </>
      );
  }
  const { script, versions } = state;
  if (versions.length === 0) {
    return (
      <div className="jp-ScriptForge-empty">
        <p>{trans.__('This script has no versions yet.')}</p>
      </div>
    );
  }
  return (
    <>
      <ul
        className="jp-ScriptForge-versionList"
        aria-label={trans.__('Versions of %1', fileName(script))}
      >
        {versions.map(version => (
          <VersionRow
            key={version.id}
            version={version}
            isHead={version.id === script.head_version_id}
            isPublished={version.id === script.published_version_id}
            selected={props.selected}
            trans={trans}
            actions={props.actions}
            relativeTime={Time.formatHuman(version.created_at)}
            fullTime={Time.format(version.created_at)}
          />
        ))}
      </ul>
      {state.more && (
        <div className="jp-ScriptForge-more">
          <Button
            small
            minimal
            disabled={state.loadingMore}
            onClick={props.onOlder}
          >
            {state.loadingMore
              ? trans.__('Loading…')
              : trans.__('Older versions')}
          </Button>
        </div>
      )}
    </>
  );
}
