/**
 * One run in the history table: status, what ran, where, when, how long, and
 * Cancel or Re-run.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import {
  runIcon,
  stopIcon,
  ToolbarButtonComponent
} from '@jupyterlab/ui-components';
import * as React from 'react';

import { IRun } from '../client';
import { IResourceLabels } from '../tokens';
import { COMPACT_CHARS, formatParameters } from '../ui/parameterValues';
import { elapsedMs, formatDuration, formatStarted, isLive } from './format';
import { IRunActions } from './runDetail';
import { StatusPill } from '../ui/statusPill';

export function HistoryRow(props: {
  run: IRun;
  labels: IResourceLabels;
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
        {run.schedule_id !== null && (
          <span
            className="jp-ScriptForge-kind"
            data-field="schedule"
            title={trans.__('Started by schedule #%1', run.schedule_id)}
          >
            {trans.__('scheduled')}
          </span>
        )}
        {name ?? '…'}
        {run.artifact_files > 0 && (
          <span
            className="jp-ScriptForge-kind"
            data-field="files"
            title={trans._n(
              'It kept %1 file',
              'It kept %1 files',
              run.artifact_files
            )}
          >
            {trans._n('%1 file', '%1 files', run.artifact_files)}
          </span>
        )}
        {run.parameters && Object.keys(run.parameters).length > 0 && (
          <span
            className="jp-ScriptForge-runRow-parameters"
            data-field="parameters"
            title={formatParameters(run.parameters)}
          >
            {formatParameters(run.parameters, COMPACT_CHARS)}
          </span>
        )}
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
