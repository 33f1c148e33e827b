import { TranslationBundle } from '@jupyterlab/translation';
import {
  closeIcon,
  filterIcon,
  HTMLSelect,
  refreshIcon,
  runIcon,
  stopIcon,
  ToolbarButtonComponent
} from '@jupyterlab/ui-components';
import * as React from 'react';

import { IGroup, IRun, RunStatus, ScriptForgeClient } from '../client';
import { ErrorNote, LoadingNote } from '../widgets/notes';
import {
  elapsedMs,
  formatDuration,
  formatStarted,
  isLive,
  STATUSES,
  statusLabel
} from './format';
import { RunLabels, useLabels } from './labels';
import { IRunActions } from './runDetail';
import { ScriptPicker } from './scriptPicker';
import { StatusPill } from './statusPill';
import { useNow } from './useRun';

/** Rows still running are fetched again this often, so their status moves. */
const ROW_POLL_MS = 1500;

/** Which runs the history shows; empty means any. */
export interface IHistoryFilters {
  scriptId: number | null;
  groupId: number | null;
  status: RunStatus | null;
}

export const NO_FILTERS: IHistoryFilters = {
  scriptId: null,
  groupId: null,
  status: null
};

type PageState =
  | { kind: 'loading' }
  | { kind: 'ready'; runs: IRun[] }
  | { kind: 'failed'; message: string };

export interface IHistoryViewProps {
  client: ScriptForgeClient;
  labels: RunLabels;
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
    client
      .listRuns({
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
        client
          .getRun(id)
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
      <div className="jp-ScriptForge-header">
        <h2 className="jp-ScriptForge-title">{trans.__('Runs')}</h2>
        <div className="jp-ScriptForge-toolbar">
          <ToolbarButtonComponent
            icon={refreshIcon}
            tooltip={trans.__('Refresh the history')}
            onClick={props.onRefresh}
          />
        </div>
      </div>
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

function sameFilters(a: IHistoryFilters, b: IHistoryFilters): boolean {
  return (
    a.scriptId === b.scriptId &&
    a.groupId === b.groupId &&
    a.status === b.status
  );
}

function HistoryRow(props: {
  run: IRun;
  labels: RunLabels;
  trans: TranslationBundle;
  now: number;
  selected: boolean;
  onSelect: (run: IRun) => void;
  actions: IRunActions;
  onChanged: (run: IRun) => void;
}): JSX.Element {
  const { run, labels, trans } = props;
  const name =
    run.kind === 'group'
      ? labels.group(run.group_id)
      : labels.script(run.script_id);
  const select = () => props.onSelect(run);
  // Row buttons act on their row only; the click must not also select it.
  const only = (action: () => void) => (event?: React.SyntheticEvent) => {
    event?.stopPropagation();
    action();
  };
  return (
    <tr
      className="jp-ScriptForge-runRow"
      data-run-id={run.id}
      data-status={run.status}
      aria-selected={props.selected}
      tabIndex={0}
      onClick={select}
      onKeyDown={event => event.key === 'Enter' && select()}
    >
      <td>
        <StatusPill status={run.status} trans={trans} />
      </td>
      <td className="jp-ScriptForge-runRow-name">
        {run.kind === 'group' && (
          <span className="jp-ScriptForge-kind">{trans.__('group')}</span>
        )}
        {name ?? '…'}
      </td>
      <td>
        {run.kind === 'script'
          ? (labels.version(run.version_id, run.script_id) ?? '…')
          : ''}
      </td>
      <td>{run.interpreter ?? ''}</td>
      <td>{run.runner ?? ''}</td>
      <td>{formatStarted(run.started_at ?? run.created_at)}</td>
      <td>{formatDuration(elapsedMs(run, props.now))}</td>
      <td className="jp-ScriptForge-rowActions">
        {isLive(run.status) ? (
          <ToolbarButtonComponent
            icon={stopIcon}
            tooltip={trans.__('Cancel run %1', run.id)}
            onClick={only(() => {
              void props.actions.cancel(run).then(done => {
                if (done) {
                  props.onChanged(done);
                }
              });
            })}
          />
        ) : (
          <ToolbarButtonComponent
            icon={runIcon}
            tooltip={
              run.kind === 'group'
                ? trans.__('Re-run run %1: the group as it is now', run.id)
                : trans.__('Re-run run %1: same version and arguments', run.id)
            }
            onClick={only(() => props.actions.rerun(run))}
          />
        )}
      </td>
    </tr>
  );
}

/**
 * Script (searched on the server: a catalog may hold thousands), group and status;
 * the server does the filtering.
 */
function HistoryFilters(props: {
  client: ScriptForgeClient;
  labels: RunLabels;
  trans: TranslationBundle;
  filters: IHistoryFilters;
  onFilters: (filters: IHistoryFilters) => void;
  refreshToken: number;
}): JSX.Element {
  const { client, trans, filters } = props;
  const [groups, setGroups] = React.useState<IGroup[]>([]);

  React.useEffect(() => {
    let cancelled = false;
    // The filter stays usable without its list: "any" always works.
    client
      .listGroups()
      .then(found => !cancelled && setGroups(found))
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [client, props.refreshToken]);

  const groupOptions = groups.map(group => ({
    value: String(group.id),
    label: group.name
  }));
  if (
    filters.groupId !== null &&
    !groups.some(group => group.id === filters.groupId)
  ) {
    // Not (yet) listed, or deleted since: the filter still says which.
    groupOptions.push({
      value: String(filters.groupId),
      label: props.labels.group(filters.groupId) ?? `#${filters.groupId}`
    });
  }
  const toId = (value: string) => (value === '' ? null : Number(value));
  return (
    <div className="jp-ScriptForge-runFilters">
      <div
        className="jp-ScriptForge-scriptFilter"
        role="group"
        aria-label={trans.__('Script filter')}
      >
        <span>{trans.__('Script')}</span>
        {filters.scriptId === null ? (
          <ScriptPicker
            client={client}
            trans={trans}
            placeholder={trans.__('Any: type to search')}
            label={trans.__('Filter by script')}
            resultsLabel={trans.__('Scripts to filter by')}
            resultIcon={filterIcon}
            onPick={script =>
              props.onFilters({ ...filters, scriptId: script.id })
            }
          />
        ) : (
          <span
            className="jp-ScriptForge-filterChip"
            data-script-id={filters.scriptId}
          >
            <span className="jp-ScriptForge-filterChip-name">
              {props.labels.script(filters.scriptId) ?? '…'}
            </span>
            <button
              className="jp-ScriptForge-filterChip-clear"
              aria-label={trans.__('Clear the script filter')}
              title={trans.__('Clear the script filter')}
              onClick={() => props.onFilters({ ...filters, scriptId: null })}
            >
              <closeIcon.react tag="span" />
            </button>
          </span>
        )}
      </div>
      <label>
        <span>{trans.__('Group')}</span>
        <HTMLSelect
          aria-label={trans.__('Filter by group')}
          value={filters.groupId === null ? '' : String(filters.groupId)}
          onChange={event =>
            props.onFilters({
              ...filters,
              groupId: toId(event.currentTarget.value)
            })
          }
          options={[{ value: '', label: trans.__('Any') }, ...groupOptions]}
        />
      </label>
      <label>
        <span>{trans.__('Status')}</span>
        <HTMLSelect
          aria-label={trans.__('Filter by status')}
          value={filters.status ?? ''}
          onChange={event =>
            props.onFilters({
              ...filters,
              status: (event.currentTarget.value || null) as RunStatus | null
            })
          }
          options={[
            { value: '', label: trans.__('Any') },
            ...STATUSES.map(status => ({
              value: status,
              label: statusLabel(status, trans)
            }))
          ]}
        />
      </label>
    </div>
  );
}
