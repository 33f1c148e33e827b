/**
 * The Schedules section of the Scripts sidebar: this user's schedules with
 * their next time, Pause or Resume, Edit and Delete.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { TranslationBundle } from '@jupyterlab/translation';
import {
  deleteIcon,
  editIcon,
  listIcon,
  runIcon,
  stopIcon,
  ToolbarButtonComponent
} from '@jupyterlab/ui-components';
import * as React from 'react';

import { ISchedule, IScriptForgeClient } from '../client';
import { CommandIDs } from '../tokens';
import { Changes } from '../ui/changes';
import { confirmDelete } from '../ui/confirm';
import { tryOrShowError } from '../ui/errors';
import { PanelHeader } from '../ui/header';
import { ErrorNote, LoadingNote } from '../ui/notes';
import { useChanged, useFetched } from '../ui/useFetched';

export interface ISchedulesViewProps {
  client: IScriptForgeClient;
  trans: TranslationBundle;
  commands: JupyterFrontEnd['commands'];
  changes: Changes;
  /** Changes when the list must be fetched again. */
  refreshToken: number;
}

export function SchedulesView(props: ISchedulesViewProps): JSX.Element {
  const { client, trans, commands, refreshToken, changes } = props;
  const changed = useChanged(changes);
  const state = useFetched(
    () => client.schedules.list(),
    [client, refreshToken, changed]
  );

  const setActive = (schedule: ISchedule, active: boolean) =>
    tryOrShowError(
      active
        ? trans.__('Cannot resume the schedule')
        : trans.__('Cannot pause the schedule'),
      async () => {
        await client.schedules.update(schedule.id, { active });
        changes.emit();
      }
    );

  const remove = async (schedule: ISchedule) => {
    const deleting = await confirmDelete(
      trans,
      trans.__('Delete Schedule'),
      trans.__(
        'Delete the schedule “%1”? The runs it started stay in the history.',
        schedule.name
      )
    );
    if (!deleting) {
      return;
    }
    await tryOrShowError(trans.__('Cannot delete the schedule'), async () => {
      await client.schedules.delete(schedule.id);
      changes.emit();
    });
  };

  const when = (schedule: ISchedule): string => {
    if (!schedule.active) {
      return schedule.stopped_because
        ? trans.__('stopped: %1', schedule.stopped_because)
        : trans.__('paused');
    }
    const next = schedule.next[0];
    if (!next) {
      return trans.__('no next time');
    }
    try {
      return trans.__(
        'next %1',
        new Intl.DateTimeFormat(undefined, {
          month: 'short',
          day: 'numeric',
          hour: '2-digit',
          minute: '2-digit',
          timeZone: schedule.timezone,
          timeZoneName: 'short'
        }).format(new Date(next))
      );
    } catch {
      return trans.__('next %1', next); // a zone this browser does not know
    }
  };

  return (
    <section
      className="jp-ScriptForge-schedules"
      aria-label={trans.__('Schedules')}
    >
      <PanelHeader title={trans.__('Schedules')} />
      {state.kind === 'loading' && (
        <LoadingNote>{trans.__('Loading schedules…')}</LoadingNote>
      )}
      {state.kind === 'failed' && <ErrorNote message={state.message} />}
      {state.kind === 'ready' && state.value.length === 0 && (
        <div className="jp-ScriptForge-empty">
          <p>
            {trans.__(
              'No schedules yet. Right-click a script and choose Schedule… to run it at set times.'
            )}
          </p>
        </div>
      )}
      {state.kind === 'ready' && state.value.length > 0 && (
        <ul className="jp-ScriptForge-list" aria-label={trans.__('Schedules')}>
          {state.value.map(schedule => (
            <li
              key={schedule.id}
              className={`jp-ScriptForge-schedule${schedule.active ? '' : ' jp-mod-paused'}`}
              data-schedule-id={schedule.id}
              tabIndex={0}
              title={`${schedule.cron} (${schedule.timezone})`}
              onDoubleClick={() =>
                void commands.execute(CommandIDs.editSchedule, {
                  scheduleId: schedule.id
                })
              }
            >
              <span className="jp-ScriptForge-itemText">
                <span className="jp-ScriptForge-itemName">{schedule.name}</span>
                <span className="jp-ScriptForge-itemFolder">
                  {when(schedule)}
                </span>
              </span>
              <span className="jp-ScriptForge-toolbar">
                {schedule.active ? (
                  <ToolbarButtonComponent
                    icon={stopIcon}
                    tooltip={trans.__('Pause schedule %1', schedule.name)}
                    onClick={() => void setActive(schedule, false)}
                  />
                ) : (
                  <ToolbarButtonComponent
                    icon={runIcon}
                    tooltip={trans.__('Resume schedule %1', schedule.name)}
                    onClick={() => void setActive(schedule, true)}
                  />
                )}
                <ToolbarButtonComponent
                  icon={listIcon}
                  tooltip={trans.__('Runs of schedule %1', schedule.name)}
                  onClick={() =>
                    void commands.execute(CommandIDs.scheduleRuns, {
                      scheduleId: schedule.id
                    })
                  }
                />
                <ToolbarButtonComponent
                  icon={editIcon}
                  tooltip={trans.__('Edit schedule %1', schedule.name)}
                  onClick={() =>
                    void commands.execute(CommandIDs.editSchedule, {
                      scheduleId: schedule.id
                    })
                  }
                />
                <ToolbarButtonComponent
                  icon={deleteIcon}
                  tooltip={trans.__('Delete schedule %1', schedule.name)}
                  onClick={() => void remove(schedule)}
                />
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
