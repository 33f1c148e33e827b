import { TranslationBundle } from '@jupyterlab/translation';
import {
  refreshIcon,
  runIcon,
  stopIcon,
  ToolbarButtonComponent
} from '@jupyterlab/ui-components';
import * as React from 'react';

import { IRun, RunStatus } from '../client';
import { IResourceLabels } from '../tokens';
import { assistantIcon } from '../ui/icons';
import { parameterPairs } from '../ui/parameterValues';
import { useLabels } from '../ui/useLabels';
import {
  elapsedMs,
  formatBytes,
  formatDuration,
  formatStarted,
  isLive
} from './format';
import { StatusPill } from '../ui/statusPill';
import { useNow } from './useRun';

/** Ends of a run that a change of the script may mend. */
const FIXABLE = new Set<RunStatus>(['failed', 'timed_out']);

/** The header of a run: name, version, where it ran, status, figures, actions. */
export function RunSummary(props: {
  labels: IResourceLabels;
  trans: TranslationBundle;
  run: IRun;
  onCancel?: () => void;
  onRerun?: () => void;
  /** Offered on a failed script run: ask the assistant for a fix. */
  onFix?: () => void;
  compact?: boolean;
}): JSX.Element {
  const { labels, trans, run } = props;
  useLabels(labels);
  const live = isLive(run.status);
  const now = useNow(live);
  const name =
    run.kind === 'group'
      ? labels.group(run.group_id)
      : labels.script(run.script_id);
  return (
    <div className="jp-ScriptForge-runSummary">
      <div className="jp-ScriptForge-runSummary-head">
        <StatusPill status={run.status} trans={trans} />
        <h3 className="jp-ScriptForge-runSummary-name">
          {name ?? '…'}
          {run.kind === 'script' && run.version_id !== null && (
            <span className="jp-ScriptForge-runSummary-version">
              {labels.version(run.version_id, run.script_id) ?? ''}
            </span>
          )}
        </h3>
        <span className="jp-ScriptForge-runSummary-id">#{run.id}</span>
        <span className="jp-ScriptForge-toolbar">
          {props.onCancel && live && (
            <ToolbarButtonComponent
              icon={stopIcon}
              label={trans.__('Cancel')}
              tooltip={trans.__('Cancel this run')}
              onClick={props.onCancel}
            />
          )}
          {props.onFix && run.kind === 'script' && FIXABLE.has(run.status) && (
            <ToolbarButtonComponent
              icon={assistantIcon}
              label={trans.__('Fix with Assistant')}
              tooltip={trans.__(
                'Propose a fix from the traceback, the script version and its interpreter'
              )}
              className="jp-ScriptForge-fixRun"
              onClick={props.onFix}
            />
          )}
          {props.onRerun && !live && (
            <ToolbarButtonComponent
              icon={run.kind === 'group' ? refreshIcon : runIcon}
              label={trans.__('Re-run')}
              tooltip={
                run.kind === 'group'
                  ? trans.__('Run the group again, as it is now')
                  : trans.__(
                      'Run the same version again with the same interpreter and arguments'
                    )
              }
              onClick={props.onRerun}
            />
          )}
        </span>
      </div>
      <dl className="jp-ScriptForge-runFacts">
        {run.kind === 'script' && (
          <>
            <div className="jp-ScriptForge-fact">
              <dt>{trans.__('Interpreter')}</dt>
              <dd data-field="interpreter">{run.interpreter ?? '—'}</dd>
            </div>
            <div className="jp-ScriptForge-fact">
              <dt>{trans.__('Runner')}</dt>
              <dd data-field="runner">{run.runner ?? '—'}</dd>
            </div>
          </>
        )}
        <div className="jp-ScriptForge-fact">
          <dt>{trans.__('Started')}</dt>
          <dd data-field="started">{formatStarted(run.started_at)}</dd>
        </div>
        {run.schedule_id !== null && (
          <div className="jp-ScriptForge-fact">
            <dt>{trans.__('Started by')}</dt>
            <dd data-field="schedule">
              {trans.__('schedule #%1', run.schedule_id)}
            </dd>
          </div>
        )}
        <div className="jp-ScriptForge-fact">
          <dt>{trans.__('Elapsed')}</dt>
          <dd data-field="elapsed">{formatDuration(elapsedMs(run, now))}</dd>
        </div>
        {run.kind === 'script' && (
          <>
            <div className="jp-ScriptForge-fact">
              <dt>{trans.__('Exit code')}</dt>
              <dd data-field="exit-code">{run.exit_code ?? '—'}</dd>
            </div>
            {!props.compact && (
              <>
                <div className="jp-ScriptForge-fact">
                  <dt>{trans.__('Peak memory')}</dt>
                  <dd data-field="peak-memory">
                    {formatBytes(run.peak_memory_bytes)}
                  </dd>
                </div>
              </>
            )}
          </>
        )}
        {run.parameters && (
          <div className="jp-ScriptForge-fact jp-ScriptForge-fact-wide">
            <dt>{trans.__('Parameters')}</dt>
            <dd data-field="parameters">
              <ParameterList
                values={run.parameters}
                none={trans.__('defaults')}
              />
            </dd>
          </div>
        )}
        {run.args.length > 0 && !props.compact && (
          <>
            <div className="jp-ScriptForge-fact">
              <dt>{trans.__('Arguments')}</dt>
              <dd data-field="args">
                <code>{run.args.join(' ')}</code>
              </dd>
            </div>
          </>
        )}
      </dl>
      {run.error && (
        <div className="jp-ScriptForge-runError" role="note">
          {run.error}
        </div>
      )}
    </div>
  );
}

/** Each `name=value` of a run's parameters; `none` when it was given none. */
function ParameterList(props: {
  values: Record<string, unknown>;
  none: string;
}): JSX.Element {
  const pairs = parameterPairs(props.values);
  if (pairs.length === 0) {
    return <span className="jp-ScriptForge-parameters-none">{props.none}</span>;
  }
  return (
    <span className="jp-ScriptForge-parameters">
      {pairs.map((pair, index) => (
        <code key={index} className="jp-ScriptForge-parameter">
          {pair}
        </code>
      ))}
    </span>
  );
}
