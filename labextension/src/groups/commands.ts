/**
 * The commands of groups: create one, edit one, add a script to one (from the
 * Scripts sidebar's context menu). Running a group is the Runs feature's.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import {
  ICommandPalette,
  InputDialog,
  Notification
} from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { ReadonlyPartialJSONObject } from '@lumino/coreutils';

import { IGroup, IScriptForgeClient } from '../client';
import { CommandIDs, IScriptsPanel, IUserRights } from '../tokens';
import { addCommands, numberArg, scriptIdArg } from '../ui/commands';
import { tryOrShowError } from '../ui/errors';
import { GroupChanges } from './events';

/** What the group commands need from the plugin. */
export interface IGroupsCommandContext {
  app: JupyterFrontEnd;
  client: IScriptForgeClient;
  trans: TranslationBundle;
  changes: GroupChanges;
  /** The Scripts sidebar, for the script right-clicked there. */
  scripts: IScriptsPanel | null;
  /** What the user may do; commands they may not are hidden. */
  rights: IUserRights | null;
  openGroupEditor: (groupId: number) => void;
}

/** Add the commands of groups. */
export function addGroupCommands(
  context: IGroupsCommandContext,
  palette: ICommandPalette | null
): void {
  const { app, client, trans, changes, scripts } = context;
  const { commands } = app;

  const scriptId = (args: ReadonlyPartialJSONObject): number | null =>
    scriptIdArg(scripts, args);

  /** Ask for a name, create the group (with a first script) and open it. */
  const newGroup = async (first: number | null): Promise<IGroup | null> => {
    const answer = await InputDialog.getText({
      title: trans.__('New Group'),
      label: trans.__('Name of the group'),
      placeholder: trans.__('nightly reports'),
      okLabel: trans.__('Create')
    });
    if (!answer.button.accept || !answer.value?.trim()) {
      return null;
    }
    const name = answer.value.trim();
    const group = await tryOrShowError(
      trans.__('Cannot create the group'),
      async () => {
        const created = await client.groups.create({
          name,
          items: first === null ? [] : [{ script_id: first }]
        });
        changes.emit();
        context.openGroupEditor(created.id);
        return created;
      }
    );
    return group ?? null;
  };

  /** Ask which group (or a new one) and append the script to it. */
  const addToGroup = async (id: number): Promise<IGroup | null> => {
    const [script, groups] = await Promise.all([
      client.scripts.get(id),
      client.groups.list()
    ]);
    const newGroupItem = trans.__('New group…');
    // Two groups may share a name: the choice must still say which.
    const labels = groups.map(group =>
      groups.filter(other => other.name === group.name).length > 1
        ? `${group.name} (#${group.id})`
        : group.name
    );
    const answer = await InputDialog.getItem({
      title: trans.__('Add “%1” to a Group', script.name),
      label: trans.__('Group'),
      items: [...labels, newGroupItem],
      okLabel: trans.__('Add')
    });
    if (!answer.button.accept || answer.value === null) {
      return null;
    }
    if (answer.value === newGroupItem) {
      await commands.execute(CommandIDs.newGroup, { scriptId: id });
      return null;
    }
    const group = groups[labels.indexOf(answer.value)];
    const updated = await client.groups.update(group.id, {
      items: [...group.items, { script_id: id }]
    });
    changes.emit();
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

  addCommands(
    app,
    palette,
    trans,
    {
      [CommandIDs.newGroup]: {
        needs: 'write',
        label: trans.__('New Group…'),
        caption: trans.__('Create a group of scripts that run together'),
        describedBy: numberArg('scriptId', 'A first script to add'),
        palette: true,
        execute: args =>
          newGroup(typeof args.scriptId === 'number' ? args.scriptId : null)
      },
      [CommandIDs.editGroup]: {
        needs: 'write',
        label: trans.__('Edit Group'),
        describedBy: numberArg('groupId', 'The group id'),
        execute: args => {
          if (typeof args.groupId === 'number') {
            context.openGroupEditor(args.groupId);
          }
        }
      },
      [CommandIDs.addToGroup]: {
        needs: 'write',
        label: trans.__('Add to Group…'),
        caption: trans.__('Add the script to one of your groups'),
        describedBy: numberArg('id', 'The script to add'),
        // After "Run" in the Scripts sidebar's menu, before renaming and the like.
        menu: scripts
          ? { selector: scripts.scriptSelector, rank: 0.6 }
          : undefined,
        execute: async args => {
          const id = scriptId(args);
          if (id === null) {
            return null;
          }
          const added = await tryOrShowError(
            trans.__('Cannot add the script to the group'),
            () => addToGroup(id)
          );
          return added ?? null;
        }
      }
    },
    context.rights
  );
}
