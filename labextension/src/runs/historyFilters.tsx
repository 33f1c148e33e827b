/**
 * The filters of the run history: script (searched on the server), group and
 * status. The server does the filtering.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { closeIcon, filterIcon, HTMLSelect } from '@jupyterlab/ui-components';
import * as React from 'react';

import { IGroup, IScriptForgeClient, RunStatus } from '../client';
import { IResourceLabels } from '../tokens';
import { ScriptPicker } from '../ui/scriptPicker';
import { statusLabel } from '../ui/statusPill';
import { STATUSES } from './format';

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

/** Whether two filters show the same runs. */
export function sameFilters(a: IHistoryFilters, b: IHistoryFilters): boolean {
  return (
    a.scriptId === b.scriptId &&
    a.groupId === b.groupId &&
    a.status === b.status
  );
}

/**
 * Script (searched on the server: a catalog may hold thousands), group and status;
 * the server does the filtering.
 */
export function HistoryFilters(props: {
  client: IScriptForgeClient;
  labels: IResourceLabels;
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
    client.groups
      .list()
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
