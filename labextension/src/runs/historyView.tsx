/**
 * The run history of the Runs panel: this user's runs, a page at a time, with
 * the status of live rows kept moving.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { refreshIcon, ToolbarButtonComponent } from '@jupyterlab/ui-components';
import * as React from 'react';

import { IRun, IScriptForgeClient } from '../client';
import { IResourceLabels } from '../tokens';
import { PanelHeader } from '../ui/header';
import { ErrorNote, LoadingNote } from '../ui/notes';
import { useLabels } from '../ui/useLabels';
import { isLive } from './format';
import {
  HistoryFilters,
  IHistoryFilters,
  NO_FILTERS,
  sameFilters
} from './historyFilters';
import { HistoryRow } from './historyRow';
import { IRunActions } from './runDetail';
import { useNow } from './useRun';

/** Rows still running are fetched again this often, so their status moves. */
const ROW_POLL_MS = 1500;

type PageState =
  | { kind: 'loading' }
  | { kind: 'ready'; runs: IRun[] }
  | { kind: 'failed'; message: string };

export interface IHistoryViewProps {
  client: IScriptForgeClient;
  labels: IResourceLabels;
  trans: TranslationBundle;
  pageSize: number;
  filters: IHistoryFilters;
  onFilters: (filters: IHistoryFilters) => void;
  selectedId: number | null;
  onSelect: (run: IRun) => void;
  /** Changes when the first page must be fetched again. */
  refreshToken: number;
  onRefresh: () => void;
  /** A run the detail knows newer news of. */
  latest: IRun | null;
  actions: IRunActions;
}

/**
 * This user's runs, newest first, one page at a time (older pages replace the
 * newer, so the table never holds more than a page), filtered on the server.
 */
export function HistoryView(props: IHistoryViewProps): JSX.Element {
  const { client, labels, trans, filters, pageSize, refreshToken } = props;
  useLabels(labels);
  // The `before` cursor of each page shown so far; the last one is on screen.
  const [cursors, setCursors] = React.useState<(number | undefined)[]>([
    undefined
  ]);
  const [state, setState] = React.useState<PageState>({ kind: 'loading' });
  // The old page stays on screen while the next loads (no flicker); aria-busy says so.
  const [busy, setBusy] = React.useState(true);
  const before = cursors[cursors.length - 1];

  React.useEffect(() => setCursors([undefined]), [filters, refreshToken]);

  React.useEffect(() => {
    let cancelled = false;
    setBusy(true);
    client.runs
      .list({
        script_id: filters.scriptId ?? undefined,
        group_id: filters.groupId ?? undefined,
        status: filters.status ?? undefined,
        limit: pageSize,
        before
      })
      .then(runs => !cancelled && setState({ kind: 'ready', runs }))
      .catch((reason: Error) => {
        if (!cancelled) {
          setState({ kind: 'failed', message: reason.message });
        }
      })
      .finally(() => !cancelled && setBusy(false));
    return () => {
      cancelled = true;
    };
  }, [client, filters, pageSize, before, refreshToken]);

  const replace = React.useCallback((run: IRun) => {
    setState(current =>
      current.kind === 'ready' &&
      current.runs.some(row => row.id === run.id && row.status !== run.status)
        ? {
            kind: 'ready',
            runs: current.runs.map(row =>
              row.id === run.id ? { ...row, ...run } : row
            )
          }
        : current
    );
  }, []);

  React.useEffect(() => {
    if (props.latest) {
      replace(props.latest);
    }
  }, [props.latest, replace]);

  // Keep the status of live rows moving without fetching the whole page again.
  const liveIds =
    state.kind === 'ready'
      ? state.runs.filter(run => isLive(run.status)).map(run => run.id)
      : [];
  const liveKey = liveIds.join(',');
  React.useEffect(() => {
    if (liveIds.length === 0) {
      return;
    }
    const timer = window.setInterval(() => {
      for (const id of liveIds) {
        client.runs
          .get(id)
          .then(replace)
          .catch(() => undefined);
      }
    }, ROW_POLL_MS);
    return () => window.clearInterval(timer);
    // liveKey stands for liveIds.
  }, [client, liveKey, replace]);
  const now = useNow(liveIds.length > 0);

  const runs = state.kind === 'ready' ? state.runs : [];
  const older = runs.length === pageSize ? runs[runs.length - 1].id : null;
  return (
    <section
      className="jp-ScriptForge-history"
      aria-label={trans.__('Run history')}
      aria-busy={busy}
    >
      <PanelHeader title={trans.__('Runs')}>
        <ToolbarButtonComponent
          icon={refreshIcon}
          tooltip={trans.__('Refresh the history')}
          onClick={props.onRefresh}
        />
      </PanelHeader>
      <HistoryFilters
        client={client}
        labels={labels}
        trans={trans}
        filters={filters}
        onFilters={props.onFilters}
        refreshToken={refreshToken}
      />
      {state.kind === 'loading' && (
        <LoadingNote>{trans.__('Loading runs…')}</LoadingNote>
      )}
      {state.kind === 'failed' && <ErrorNote message={state.message} />}
      {state.kind === 'ready' && runs.length === 0 && (
        <div className="jp-ScriptForge-empty">
          {filters === NO_FILTERS || sameFilters(filters, NO_FILTERS)
            ? trans.__(
                'No runs yet. Run a script from the Scripts panel (right-click → Run) or from its editor.'
              )
            : trans.__('No runs match these filters.')}
        </div>
      )}
      {runs.length > 0 && (
        <div className="jp-ScriptForge-tableScroll">
          <table
            className="jp-ScriptForge-table jp-ScriptForge-runsTable"
            aria-label={trans.__('Runs')}
          >
            <thead>
              <tr>
                <th>{trans.__('Status')}</th>
                <th>{trans.__('Script or group')}</th>
                <th>{trans.__('Version')}</th>
                <th>{trans.__('Interpreter')}</th>
                <th>{trans.__('Runner')}</th>
                <th>{trans.__('Started')}</th>
                <th>{trans.__('Duration')}</th>
                <th>
                  <span className="jp-ScriptForge-visuallyHidden">
                    {trans.__('Actions')}
                  </span>
                </th>
              </tr>
            </thead>
            <tbody>
              {runs.map(run => (
                <HistoryRow
                  key={run.id}
                  run={run}
                  labels={labels}
                  trans={trans}
                  now={now}
                  selected={run.id === props.selectedId}
                  onSelect={props.onSelect}
                  actions={props.actions}
                  onChanged={replace}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {(cursors.length > 1 || older !== null) && (
        <div className="jp-ScriptForge-pager">
          <button
            className="jp-mod-styled"
            disabled={cursors.length === 1}
            onClick={() => setCursors(cursors.slice(0, -1))}
          >
            {trans.__('Newer runs')}
          </button>
          <button
            className="jp-mod-styled"
            disabled={older === null}
            onClick={() => older !== null && setCursors([...cursors, older])}
          >
            {trans.__('Older runs')}
          </button>
        </div>
      )}
    </section>
  );
}
