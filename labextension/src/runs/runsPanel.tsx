import { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import { IRun, IScriptForgeClient } from '../client';
import { IResourceLabels } from '../tokens';
import { IHistoryFilters, NO_FILTERS } from './historyFilters';
import { HistoryView } from './historyView';
import { IRunActions, RunDetail } from './runDetail';
import { IRunsSettings } from './settings';

/**
 * The Runs panel (main area): the history of this user's runs on one side and the
 * selected run, with its live output, on the other.
 */
export class RunsPanel extends ReactWidget {
  constructor(
    private readonly _client: IScriptForgeClient,
    private readonly _labels: IResourceLabels,
    private readonly _actions: IRunActions,
    private readonly _trans: TranslationBundle,
    private _settings: IRunsSettings
  ) {
    super();
    this.addClass('jp-ScriptForge-RunsPanel');
  }

  /** The run shown in the detail, if any. */
  get selectedId(): number | null {
    return this._selectedId;
  }

  /**
   * Show a run; a `fresh` one (just started) clears the filters so it shows at
   * the top of the history.
   */
  showRun(runId: number, fresh = false): void {
    this._selectedId = runId;
    if (fresh) {
      this._filters = NO_FILTERS;
      this._refreshToken += 1;
    }
    this.update();
  }

  /** Fetch the history again, and the names it shows (a script may have been renamed). */
  refresh(): void {
    this._labels.refresh();
    this._refreshToken += 1;
    this.update();
  }

  set settings(settings: IRunsSettings) {
    this._settings = settings;
    this.update();
  }

  protected render(): JSX.Element {
    return (
      <RunsView
        client={this._client}
        labels={this._labels}
        trans={this._trans}
        settings={this._settings}
        actions={this._actions}
        selectedId={this._selectedId}
        onSelect={run => this.showRun(run.id)}
        filters={this._filters}
        onFilters={filters => {
          this._filters = filters;
          this.update();
        }}
        refreshToken={this._refreshToken}
        onRefresh={() => this.refresh()}
      />
    );
  }

  private _selectedId: number | null = null;
  private _filters: IHistoryFilters = NO_FILTERS;
  private _refreshToken = 0;
}

function RunsView(props: {
  client: IScriptForgeClient;
  labels: IResourceLabels;
  trans: TranslationBundle;
  settings: IRunsSettings;
  actions: IRunActions;
  selectedId: number | null;
  onSelect: (run: IRun) => void;
  filters: IHistoryFilters;
  onFilters: (filters: IHistoryFilters) => void;
  refreshToken: number;
  onRefresh: () => void;
}): JSX.Element {
  const { trans } = props;
  // What the detail learns (a new status, the end) is passed on to the history row.
  const [latest, setLatest] = React.useState<IRun | null>(null);
  return (
    <div className="jp-ScriptForge-runs">
      <HistoryView
        client={props.client}
        labels={props.labels}
        trans={trans}
        pageSize={props.settings.historyPageSize}
        filters={props.filters}
        onFilters={props.onFilters}
        selectedId={props.selectedId}
        onSelect={props.onSelect}
        refreshToken={props.refreshToken}
        onRefresh={props.onRefresh}
        latest={latest}
        actions={props.actions}
      />
      <section
        className="jp-ScriptForge-runsDetail"
        aria-label={trans.__('Selected run')}
      >
        {props.selectedId === null ? (
          <div className="jp-ScriptForge-empty">
            {trans.__('Select a run to see its output.')}
          </div>
        ) : (
          <RunDetail
            key={props.selectedId}
            client={props.client}
            labels={props.labels}
            trans={trans}
            runId={props.selectedId}
            follow={props.settings.followOutput}
            actions={props.actions}
            onChanged={setLatest}
          />
        )}
      </section>
    </div>
  );
}
