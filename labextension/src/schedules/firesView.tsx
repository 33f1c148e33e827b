/**
 * A schedule's page: when it fired lately and what came of each time — the
 * run's status (a click shows the run) or why none started — with why it
 * stopped, if it did.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { IScheduleFire, IScriptForgeClient, RunStatus } from '../client';
import { ErrorNote, LoadingNote } from '../ui/notes';
import { StatusPill } from '../ui/statusPill';
import { useFetched } from '../ui/useFetched';

export interface IScheduleFiresProps {
  client: IScriptForgeClient;
  trans: TranslationBundle;
  scheduleId: number;
  /** Show a run (the dialog closes). */
  onShowRun: (runId: number) => void;
}

export function ScheduleFires(props: IScheduleFiresProps): JSX.Element {
  const { client, trans, scheduleId } = props;
  const state = useFetched(
    () => client.schedules.get(scheduleId),
    [client, scheduleId]
  );
  if (state.kind === 'loading') {
    return <LoadingNote>{trans.__('Loading its runs…')}</LoadingNote>;
  }
  if (state.kind === 'failed') {
    return <ErrorNote message={state.message} />;
  }
  const schedule = state.value;
  const fires = schedule.fires ?? [];
  const when = (iso: string) => formatIn(iso, schedule.timezone);
  return (
    <div className="jp-ScriptForge-scheduleFires">
      <p className="jp-ScriptForge-scheduleFires-what">
        <code>{schedule.cron}</code> ({schedule.timezone})
        {schedule.active && schedule.next[0]
          ? ' · ' + trans.__('next %1', when(schedule.next[0]))
          : ''}
      </p>
      {schedule.stopped_because && (
        <ErrorNote
          message={trans.__('Stopped: %1', schedule.stopped_because)}
        />
      )}
      {fires.length === 0 ? (
        <div className="jp-ScriptForge-empty">
          {trans.__('It has not fired yet.')}
        </div>
      ) : (
        <table
          className="jp-ScriptForge-table"
          aria-label={trans.__('Latest fire times')}
        >
          <thead>
            <tr>
              <th>{trans.__('Fired for')}</th>
              <th>{trans.__('Run')}</th>
            </tr>
          </thead>
          <tbody>
            {fires.map(fire => (
              <FireRow
                key={fire.fire_at}
                fire={fire}
                when={when(fire.fire_at)}
                trans={trans}
                onShowRun={props.onShowRun}
              />
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function FireRow(props: {
  fire: IScheduleFire;
  when: string;
  trans: TranslationBundle;
  onShowRun: (runId: number) => void;
}): JSX.Element {
  const { fire, trans } = props;
  const runId = fire.run_id;
  if (runId === null) {
    return (
      <tr className="jp-ScriptForge-fire jp-mod-notStarted">
        <td>{props.when}</td>
        <td className="jp-ScriptForge-fire-error">
          {fire.error
            ? trans.__('not started: %1', fire.error)
            : trans.__('starting…')}
        </td>
      </tr>
    );
  }
  const show = () => props.onShowRun(runId);
  return (
    <tr
      className="jp-ScriptForge-fire"
      data-run-id={runId}
      tabIndex={0}
      title={trans.__('Show run #%1', runId)}
      onClick={show}
      onKeyDown={event => event.key === 'Enter' && show()}
    >
      <td>{props.when}</td>
      <td>
        <StatusPill
          status={(fire.status ?? 'queued') as RunStatus}
          trans={trans}
        />{' '}
        #{runId}
      </td>
    </tr>
  );
}

/** `iso` as a date and time in `timezone` (its own offset if the browser lacks the zone). */
function formatIn(iso: string, timezone: string): string {
  const options: Intl.DateTimeFormatOptions = {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    timeZoneName: 'short'
  };
  try {
    return new Intl.DateTimeFormat(undefined, {
      ...options,
      timeZone: timezone
    }).format(new Date(iso));
  } catch {
    return new Intl.DateTimeFormat(undefined, options).format(new Date(iso));
  }
}
