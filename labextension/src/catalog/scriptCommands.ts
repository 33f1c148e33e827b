/**
 * Commands on one script of the catalog, shown in the Scripts panel's context
 * menu: open, rename or move, share or make private, delete (each with Undo).
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { InputDialog, Notification } from '@jupyterlab/apputils';
import { IDocumentManager } from '@jupyterlab/docmanager';
import { TranslationBundle } from '@jupyterlab/translation';
import { ReadonlyPartialJSONObject } from '@lumino/coreutils';

import { IScript, IScriptForgeClient } from '../client';
import { CommandIDs, IUserRights } from '../tokens';
import { addCommands, numberArg } from '../ui/commands';
import { tryOrShowError } from '../ui/errors';
import { splitPath } from '../ui/scriptPath';
import { ITEM_CLASS } from './rows';
import { scriptIdOf, scriptRowAt } from './targets';

/** What the catalog's commands need from the application. */
export interface ICatalogContext {
  app: JupyterFrontEnd;
  client: IScriptForgeClient;
  trans: TranslationBundle;
  docManager: IDocumentManager | null;
  /** What the user may do; commands they may not are hidden. */
  rights: IUserRights | null;
  /** Called after any change, so the panel shows it. */
  refresh: () => void;
}

const ID_ARGS = numberArg('id', 'The script id');

/** Ready a script's working copy and open it in the editor; failures are shown. */
export async function openScript(
  ctx: ICatalogContext,
  script: IScript
): Promise<void> {
  await tryOrShowError(
    ctx.trans.__('Cannot open %1', script.name),
    async () => {
      const ready = await ctx.client.scripts.open(script.id);
      await ctx.app.commands.execute('docmanager:open', { path: ready.path });
    }
  );
}

/**
 * Save and close the editors of a script's working copy before the file moves or
 * goes: an editor left on the old path would write it back. → whether one was open.
 */
async function closeEditors(
  docManager: IDocumentManager | null,
  path: string
): Promise<boolean> {
  const widget = docManager?.findWidget(path);
  if (!docManager || !widget) {
    return false;
  }
  const context = docManager.contextForWidget(widget);
  if (context?.model.dirty) {
    await context.save();
  }
  await docManager.closeFile(path);
  return true;
}

/** Add the per-script commands and their context-menu entries. */
export function addScriptCommands(ctx: ICatalogContext): void {
  const { app, client, trans, docManager, refresh } = ctx;
  const rowMenu = (rank: number) => ({ selector: `.${ITEM_CLASS}`, rank });

  /** Rename or move a script, its open editor with it. → its new "folder/name". */
  const move = async (
    script: IScript,
    to: { folder: string; name: string }
  ): Promise<string> => {
    const wasOpen = await closeEditors(docManager, script.path);
    const moved = await client.scripts.update(script.id, {
      folder: to.folder,
      name: to.name
    });
    if (wasOpen) {
      docManager?.openOrReveal(moved.path);
    }
    return moved.folder ? `${moved.folder}/${moved.name}` : moved.name;
  };

  /** Run `action` on the script a command is about, then refresh the panel. */
  const run = async (
    args: ReadonlyPartialJSONObject,
    failure: string,
    action: (script: IScript) => Promise<void>
  ) => {
    const id = scriptIdOf(app, args);
    if (id === null) {
      return;
    }
    await tryOrShowError(failure, async () =>
      action(await client.scripts.get(id))
    );
    refresh();
  };

  const rename = async (script: IScript) => {
    const current = script.folder
      ? `${script.folder}/${script.name}`
      : script.name;
    const answer = await InputDialog.getText({
      title: trans.__('Rename or Move Script'),
      label: trans.__('New name, optionally in folders'),
      text: current,
      okLabel: trans.__('Rename')
    });
    if (
      !answer.button.accept ||
      !answer.value ||
      answer.value.trim() === current
    ) {
      return;
    }
    const moved = await move(script, splitPath(answer.value));
    const undo = () =>
      void tryOrShowError(trans.__('Cannot undo the rename'), async () => {
        const now = await client.scripts.get(script.id);
        await move(now, script);
        refresh();
      });
    Notification.info(trans.__('Renamed “%1” to “%2”.', current, moved), {
      autoClose: 10000,
      actions: [{ label: trans.__('Undo'), callback: undo }]
    });
  };

  const remove = async (script: IScript) => {
    await closeEditors(docManager, script.path);
    await client.scripts.delete(script.id);
    const undo = () =>
      void tryOrShowError(trans.__('Cannot restore the script'), async () => {
        await client.scripts.update(script.id, { deleted: false });
        refresh();
      });
    Notification.info(
      trans.__('Deleted “%1”. Its history is kept.', script.name),
      {
        autoClose: 10000,
        actions: [{ label: trans.__('Undo'), callback: undo }]
      }
    );
  };

  /** The visibility of the row right-clicked, to offer the one change that applies. */
  const rowVisibility = (): string | undefined =>
    scriptRowAt(app)?.dataset.visibility;
  /** Whether the user may delete, share or give away the row's script. */
  const governsRow = (): boolean => {
    const owner = scriptRowAt(app)?.dataset.owner;
    return !ctx.rights || owner === undefined || ctx.rights.governs(owner);
  };

  const setVisibility =
    (visibility: 'team' | 'private') => (args: ReadonlyPartialJSONObject) =>
      run(args, trans.__('Cannot change who sees the script'), async script => {
        await client.scripts.update(script.id, { visibility });
        Notification.info(
          visibility === 'team'
            ? trans.__('“%1” is shared with the team.', script.name)
            : trans.__('“%1” is private again.', script.name),
          { autoClose: 4000 }
        );
      });

  addCommands(
    app,
    null,
    trans,
    {
      [CommandIDs.openScript]: {
        label: trans.__('Open'),
        describedBy: ID_ARGS,
        menu: rowMenu(0),
        execute: async args => {
          const id = scriptIdOf(app, args);
          if (id !== null) {
            await openScript(ctx, await client.scripts.get(id));
          }
        }
      },
      [CommandIDs.renameScript]: {
        needs: 'write',
        label: trans.__('Rename or Move…'),
        describedBy: ID_ARGS,
        menu: rowMenu(1),
        execute: args => run(args, trans.__('Cannot rename the script'), rename)
      },
      [CommandIDs.deleteScript]: {
        needs: 'write',
        label: trans.__('Delete'),
        describedBy: ID_ARGS,
        isVisible: governsRow,
        menu: rowMenu(4),
        execute: args => run(args, trans.__('Cannot delete the script'), remove)
      },
      [CommandIDs.shareScript]: {
        needs: 'write',
        label: trans.__('Share with the Team'),
        describedBy: ID_ARGS,
        isVisible: () => governsRow() && rowVisibility() !== 'team',
        menu: rowMenu(2),
        execute: setVisibility('team')
      },
      [CommandIDs.makePrivate]: {
        needs: 'write',
        label: trans.__('Make Private'),
        describedBy: ID_ARGS,
        isVisible: () => governsRow() && rowVisibility() !== 'private',
        menu: rowMenu(3),
        execute: setVisibility('private')
      }
    },
    ctx.rights
  );
}
