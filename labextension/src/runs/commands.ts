/**
 * The commands of runs and groups, and their entries in the Scripts sidebar's
 * context menu.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import {
  InputDialog,
  Notification,
  showErrorMessage
} from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { ReadonlyPartialJSONObject } from '@lumino/coreutils';

import { ITEM_CLASS, scriptIdOf } from '../catalogCommands';
import { IGroup, IRun, IRunRequest, ScriptForgeClient } from '../client';
import { CommandIDs } from '../tokens';
import { groupsChanged } from './groupEvents';
import { IRunsSettings } from './settings';

/** A run request for one script (the other kind names a group). */
type IScriptRunRequest = Extract<IRunRequest, { script_id: number }>;

/** What the commands need from the plugin. */
export interface IRunsCommandContext {
  app: JupyterFrontEnd;
  client: ScriptForgeClient;
  trans: TranslationBundle;
  settings: () => IRunsSettings;
  /** Open (or reveal) the Runs panel and show a run; `fresh` puts it on top. */
  showRun: (runId: number, fresh: boolean) => void;
  openRuns: () => void;
  /** The run selected in the Runs panel, if the panel is open. */
  selectedRun: () => number | null;
  openGroupEditor: (groupId: number) => void;
}

const SCRIPT_ARGS = {
  type: 'object',
  properties: {
    id: { type: 'number', description: 'The script id' },
    interpreter: { type: 'string', description: 'Run on this interpreter' },
    source: {
      type: 'string',
      enum: ['published', 'head', 'working_copy'],
      description:
        'Which content: the published version (default), the newest version, or the file in the editor'
    },
    versionId: { type: 'number', description: 'Run this version' }
  }
};
const RUN_ARGS = {
  type: 'object',
  properties: {
    runId: {
      type: 'number',
      description: 'The run; the one selected in the Runs panel if omitted'
    }
  }
};
const GROUP_ARGS = {
  type: 'object',
  properties: { groupId: { type: 'number', description: 'The group id' } }
};

/** Add the commands of runs and groups. */
export function addRunCommands(context: IRunsCommandContext): void {
  const { app, client, trans } = context;
  const { commands } = app;

  const scriptId = (args: ReadonlyPartialJSONObject) => scriptIdOf(app, args);
  const runId = (args: ReadonlyPartialJSONObject): number | null =>
    typeof args.runId === 'number' ? args.runId : context.selectedRun();

  /** Start a run and show it; failures are shown, not thrown. */
  const start = async (request: IRunRequest): Promise<IRun | null> => {
    try {
      const run = await client.startRun(request);
      context.showRun(run.id, true);
      return run;
    } catch (reason) {
      await showErrorMessage(trans.__('Cannot start the run'), reason as Error);
      return null;
    }
  };
  const withRunner = (request: IScriptRunRequest): IScriptRunRequest => {
    const runner = context.settings().runner;
    return runner ? { ...request, runner } : request;
  };

  commands.addCommand(CommandIDs.runScript, {
    label: trans.__('Run'),
    caption: trans.__('Run the script and follow its output'),
    describedBy: { args: SCRIPT_ARGS },
    execute: async args => {
      const id = scriptId(args);
      if (id === null) {
        return null;
      }
      const request: IScriptRunRequest = { script_id: id };
      if (typeof args.versionId === 'number') {
        request.version_id = args.versionId;
      } else if (
        args.source === 'published' ||
        args.source === 'head' ||
        args.source === 'working_copy'
      ) {
        request.source = args.source;
      } else {
        // A script never published has nothing to run by default: run its newest version.
        try {
          const script = await client.getScript(id);
          if (script.published_version_id === null) {
            request.source = 'head';
          }
        } catch (reason) {
          await showErrorMessage(
            trans.__('Cannot run the script'),
            reason as Error
          );
          return null;
        }
      }
      if (typeof args.interpreter === 'string' && args.interpreter) {
        request.interpreter = args.interpreter;
      }
      return start(withRunner(request));
    }
  });

  commands.addCommand(CommandIDs.showRun, {
    label: trans.__('Show Run'),
    describedBy: { args: RUN_ARGS },
    execute: args => {
      const id = runId(args);
      if (id !== null) {
        context.showRun(id, false);
      }
    }
  });

  commands.addCommand(CommandIDs.openRuns, {
    label: trans.__('Open Runs Panel'),
    caption: trans.__('Show your runs and their output'),
    execute: () => context.openRuns()
  });

  commands.addCommand(CommandIDs.cancelRun, {
    label: trans.__('Cancel Run'),
    caption: trans.__('Stop the run (a group run stops all its items)'),
    describedBy: { args: RUN_ARGS },
    isEnabled: args => runId(args) !== null,
    execute: async args => {
      const id = runId(args);
      if (id === null) {
        return null;
      }
      try {
        return await client.cancelRun(id);
      } catch (reason) {
        await showErrorMessage(
          trans.__('Cannot cancel the run'),
          reason as Error
        );
        return null;
      }
    }
  });

  commands.addCommand(CommandIDs.rerun, {
    label: trans.__('Re-run'),
    caption: trans.__(
      'Run again: a script run with the same version, interpreter and arguments; a group run with the group as it is now'
    ),
    describedBy: { args: RUN_ARGS },
    isEnabled: args => runId(args) !== null,
    execute: async args => {
      const id = runId(args);
      if (id === null) {
        return null;
      }
      let run: IRun;
      try {
        run = await client.getRun(id);
      } catch (reason) {
        await showErrorMessage(trans.__('Cannot re-run'), reason as Error);
        return null;
      }
      const request = rerunRequest(run);
      if (request === null) {
        await showErrorMessage(
          trans.__('Cannot re-run'),
          run.kind === 'group'
            ? trans.__(
                'The group of run %1 was deleted: there is nothing to run again.',
                run.id
              )
            : trans.__(
                'Run %1 does not say which script it ran: there is nothing to run again.',
                run.id
              )
        );
        return null;
      }
      return start(request);
    }
  });

  commands.addCommand(CommandIDs.newGroup, {
    label: trans.__('New Group…'),
    caption: trans.__('Create a group of scripts that run together'),
    describedBy: {
      args: {
        type: 'object',
        properties: {
          scriptId: { type: 'number', description: 'A first script to add' }
        }
      }
    },
    execute: async args => {
      const answer = await InputDialog.getText({
        title: trans.__('New Group'),
        label: trans.__('Name of the group'),
        placeholder: trans.__('nightly reports'),
        okLabel: trans.__('Create')
      });
      if (!answer.button.accept || !answer.value?.trim()) {
        return null;
      }
      try {
        const first = typeof args.scriptId === 'number' ? args.scriptId : null;
        const group = await client.createGroup({
          name: answer.value.trim(),
          items: first === null ? [] : [{ script_id: first }]
        });
        groupsChanged();
        context.openGroupEditor(group.id);
        return group;
      } catch (reason) {
        await showErrorMessage(
          trans.__('Cannot create the group'),
          reason as Error
        );
        return null;
      }
    }
  });

  commands.addCommand(CommandIDs.editGroup, {
    label: trans.__('Edit Group'),
    describedBy: { args: GROUP_ARGS },
    execute: args => {
      if (typeof args.groupId === 'number') {
        context.openGroupEditor(args.groupId);
      }
    }
  });

  commands.addCommand(CommandIDs.runGroup, {
    label: trans.__('Run Group'),
    describedBy: { args: GROUP_ARGS },
    execute: args =>
      typeof args.groupId === 'number'
        ? start({ group_id: args.groupId })
        : null
  });

  commands.addCommand(CommandIDs.addToGroup, {
    label: trans.__('Add to Group…'),
    caption: trans.__('Add the script to one of your groups'),
    describedBy: { args: SCRIPT_ARGS },
    execute: async args => {
      const id = scriptId(args);
      if (id === null) {
        return null;
      }
      try {
        return await addToGroup(id);
      } catch (reason) {
        await showErrorMessage(
          trans.__('Cannot add the script to the group'),
          reason as Error
        );
        return null;
      }
    }
  });

  /** Ask which group (or a new one) and append the script to it. */
  const addToGroup = async (id: number): Promise<IGroup | null> => {
    const [script, groups] = await Promise.all([
      client.getScript(id),
      client.listGroups()
    ]);
    const newGroup = trans.__('New group…');
    // Two groups may share a name: the choice must still say which.
    const labels = groups.map(group =>
      groups.filter(other => other.name === group.name).length > 1
        ? `${group.name} (#${group.id})`
        : group.name
    );
    const answer = await InputDialog.getItem({
      title: trans.__('Add “%1” to a Group', script.name),
      label: trans.__('Group'),
      items: [...labels, newGroup],
      okLabel: trans.__('Add')
    });
    if (!answer.button.accept || answer.value === null) {
      return null;
    }
    if (answer.value === newGroup) {
      await commands.execute(CommandIDs.newGroup, { scriptId: id });
      return null;
    }
    const group = groups[labels.indexOf(answer.value)];
    const updated = await client.updateGroup(group.id, {
      items: [...group.items, { script_id: id }]
    });
    groupsChanged();
    Notification.success(
      trans.__('Added “%1” to “%2”.', script.name, group.name),
      {
        autoClose: 5000,
        actions: [
          {
            label: trans.__('Edit Group'),
            callback: () => context.openGroupEditor(group.id)
          }
        ]
      }
    );
    return updated;
  };

  // After "Open" in the Scripts sidebar's menu, before renaming and the like.
  app.contextMenu.addItem({
    command: CommandIDs.runScript,
    selector: `.${ITEM_CLASS}`,
    rank: 0.5
  });
  app.contextMenu.addItem({
    command: CommandIDs.addToGroup,
    selector: `.${ITEM_CLASS}`,
    rank: 0.6
  });
}

/**
 * The request that runs `run` again: a script run with the same version,
 * interpreter, runner, args, env and timeout; a group run with the group as it is
 * now (its items, not those of the first run). Null when there is nothing to run:
 * the group was deleted (runs keep no group then) or no script is recorded.
 */
export function rerunRequest(run: IRun): IRunRequest | null {
  if (run.kind === 'group') {
    return run.group_id === null ? null : { group_id: run.group_id };
  }
  if (run.script_id === null) {
    return null;
  }
  const request: IScriptRunRequest = { script_id: run.script_id };
  if (run.version_id !== null) {
    request.version_id = run.version_id;
  }
  if (run.interpreter) {
    request.interpreter = run.interpreter;
  }
  if (run.runner === 'local' || run.runner === 'docker') {
    request.runner = run.runner;
  }
  if (run.args.length > 0) {
    request.args = run.args;
  }
  if (Object.keys(run.env).length > 0) {
    request.env = run.env;
  }
  if (run.timeout_seconds !== null) {
    request.timeout = run.timeout_seconds;
  }
  return request;
}
