/**
 * The commands of schedules: Schedule… on a script (the Scripts sidebar's menu,
 * the palette) and on a group, and editing one.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';

import {
  IScheduledRun,
  ISchedule,
  IScheduleInput,
  IScriptForgeClient,
  ScriptForgeResponseError
} from '../client';
import { CommandIDs, IScriptsPanel, IUserRights } from '../tokens';
import { Changes } from '../ui/changes';
import { addCommands, numberArg, scriptIdArg } from '../ui/commands';
import { tryOrShowError } from '../ui/errors';
import {
  IScheduleDraft,
  inputOf,
  localTimezone,
  showScheduleDialog
} from './dialog';
import { showScheduleFires } from './firesDialog';

export interface IScheduleCommandsContext {
  app: JupyterFrontEnd;
  client: IScriptForgeClient;
  trans: TranslationBundle;
  changes: Changes;
  scripts: IScriptsPanel | null;
  rights: IUserRights | null;
}

/** What a new schedule starts from: every day at 06:00 in the user's zone. */
const NEW_CRON = '0 6 * * *';

export function addScheduleCommands(
  context: IScheduleCommandsContext,
  palette: ICommandPalette | null
): void {
  const { app, client, trans, changes, scripts } = context;

  /**
   * Ask until the server takes the schedule, or the user cancels: a refused
   * field reopens the dialog there, with the server's words.
   */
  const ask = async (
    title: string,
    target: string,
    draft: IScheduleDraft,
    save: (input: IScheduleInput) => Promise<ISchedule>,
    acceptLabel: string
  ): Promise<ISchedule | null> => {
    let error: { field: string | null; message: string } | null = null;
    for (;;) {
      const accepted = await showScheduleDialog({
        title,
        target,
        draft,
        error,
        acceptLabel,
        client: client.schedules,
        trans
      });
      if (accepted === null) {
        return null;
      }
      draft = accepted;
      try {
        const saved = await save(inputOf(draft));
        changes.emit();
        return saved;
      } catch (reason) {
        if (
          !(reason instanceof ScriptForgeResponseError) ||
          reason.status !== 400
        ) {
          throw reason;
        }
        const field = reason.body.field;
        error = {
          field: typeof field === 'string' ? field : null,
          message: reason.message
        };
      }
    }
  };

  const create = (
    title: string,
    target: string,
    name: string,
    run: IScheduledRun
  ) =>
    ask(
      title,
      target,
      { name, cron: NEW_CRON, timezone: localTimezone(), missed: 'skip' },
      input => client.schedules.create({ ...run, ...input }),
      trans.__('Schedule')
    );

  addCommands(
    app,
    palette,
    trans,
    {
      [CommandIDs.scheduleScript]: {
        needs: 'run',
        label: trans.__('Schedule…'),
        caption: trans.__('Run the script at set times'),
        describedBy: numberArg('id', 'The script to schedule'),
        menu: scripts
          ? { selector: scripts.scriptSelector, rank: 0.7 }
          : undefined,
        execute: async args => {
          const id = scriptIdArg(scripts, args);
          if (id === null) {
            return null;
          }
          return tryOrShowError(
            trans.__('Cannot schedule the script'),
            async () => {
              const script = await client.scripts.get(id);
              const pinned = script.published_version_id === null;
              const run: IScheduledRun = pinned
                ? {
                    script_id: id,
                    version_id: script.head_version_id ?? undefined
                  }
                : { script_id: id };
              const target = pinned
                ? trans.__(
                    '“%1” has no published version yet: the schedule runs its current version.',
                    script.name
                  )
                : trans.__(
                    'Runs the published version of “%1” at each time.',
                    script.name
                  );
              return create(
                trans.__('Schedule “%1”', script.name),
                target,
                script.name,
                run
              );
            }
          );
        }
      },
      [CommandIDs.scheduleGroup]: {
        needs: 'run',
        label: trans.__('Schedule Group…'),
        caption: trans.__('Run the group at set times'),
        describedBy: numberArg('groupId', 'The group to schedule'),
        execute: async args => {
          const groupId = Number(args.groupId);
          return tryOrShowError(
            trans.__('Cannot schedule the group'),
            async () => {
              const group = await client.groups.get(groupId);
              return create(
                trans.__('Schedule Group “%1”', group.name),
                trans.__('Runs the group “%1” at each time.', group.name),
                group.name,
                { group_id: groupId }
              );
            }
          );
        }
      },
      [CommandIDs.editSchedule]: {
        needs: 'run',
        label: trans.__('Edit Schedule…'),
        describedBy: numberArg('scheduleId', 'The schedule to edit'),
        execute: async args => {
          const scheduleId = Number(args.scheduleId);
          return tryOrShowError(
            trans.__('Cannot change the schedule'),
            async () => {
              const schedule = await client.schedules.get(scheduleId);
              return ask(
                trans.__('Edit Schedule “%1”', schedule.name),
                trans.__('Runs as %1.', schedule.owner),
                {
                  name: schedule.name,
                  cron: schedule.cron,
                  timezone: schedule.timezone,
                  missed: schedule.missed
                },
                input => client.schedules.update(scheduleId, input),
                trans.__('Save')
              );
            }
          );
        }
      },
      [CommandIDs.scheduleRuns]: {
        label: trans.__('Runs of Schedule…'),
        caption: trans.__(
          'When the schedule fired lately, and what came of it'
        ),
        describedBy: numberArg('scheduleId', 'The schedule'),
        execute: async args => {
          const scheduleId = Number(args.scheduleId);
          const schedule = await tryOrShowError(
            trans.__('Cannot show the schedule'),
            () => client.schedules.get(scheduleId)
          );
          if (schedule) {
            await showScheduleFires(app, client, trans, schedule);
          }
        }
      }
    },
    context.rights
  );
}
