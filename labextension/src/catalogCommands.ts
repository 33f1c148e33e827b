/**
 * Commands on one script of the catalog, shown in the Scripts panel's context menu.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import {
  InputDialog,
  Notification,
  showErrorMessage
} from '@jupyterlab/apputils';
import { IDocumentManager } from '@jupyterlab/docmanager';
import { TranslationBundle } from '@jupyterlab/translation';
import { ReadonlyPartialJSONObject } from '@lumino/coreutils';

import { IScript, ScriptForgeClient } from './client';
import { CommandIDs } from './tokens';

/** The CSS class of a catalog row, which carries `data-script-id`. */
export const ITEM_CLASS = 'jp-ScriptForge-item';

/**
 * The script a command is about: its `id` argument, the catalog row right-clicked,
 * or the row focused in the catalog (a keyboard shortcut).
 */
export function scriptIdOf(
  app: JupyterFrontEnd,
  args: ReadonlyPartialJSONObject
): number | null {
  if (typeof args.id === 'number') {
    return args.id;
  }
  const node =
    app.contextMenuHitTest(el => el.classList.contains(ITEM_CLASS)) ??
    focusedRow();
  const id = Number(node?.dataset.scriptId);
  return Number.isInteger(id) ? id : null;
}

/** The catalog row under the keyboard focus, while the catalog has it. */
function focusedRow(): HTMLElement | null {
  const tree = document.activeElement?.closest('.jp-ScriptForge-tree');
  return (
    tree?.querySelector<HTMLElement>(`.${ITEM_CLASS}.jp-mod-focused`) ?? null
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

/** Split "folder/sub/name" as typed in a dialog. */
export function splitPath(typed: string): { folder: string; name: string } {
  const parts = typed.trim().replace(/\.py$/, '').split('/').filter(Boolean);
  const name = parts.pop() ?? '';
  return { folder: parts.join('/'), name };
}

const ID_ARGS = {
  type: 'object',
  properties: { id: { type: 'number', description: 'The script id' } }
};

/**
 * Add the per-script commands and their context-menu entries.
 *
 * @param refresh - called after any change, so the panel shows it
 */
export function addCatalogCommands(
  app: JupyterFrontEnd,
  client: ScriptForgeClient,
  docManager: IDocumentManager | null,
  trans: TranslationBundle,
  refresh: () => void
): void {
  const { commands } = app;

  const targetId = (args: ReadonlyPartialJSONObject) => scriptIdOf(app, args);

  /** Rename or move a script, its open editor with it. → its new "folder/name". */
  const move = async (
    script: IScript,
    to: { folder: string; name: string }
  ): Promise<string> => {
    const wasOpen = await closeEditors(docManager, script.path);
    const moved = await client.updateScript(script.id, {
      folder: to.folder,
      name: to.name
    });
    if (wasOpen) {
      docManager?.openOrReveal(moved.path);
    }
    return moved.folder ? `${moved.folder}/${moved.name}` : moved.name;
  };

  const run = async (
    args: ReadonlyPartialJSONObject,
    failure: string,
    action: (script: IScript) => Promise<void>
  ) => {
    const id = targetId(args);
    if (id === null) {
      return;
    }
    try {
      await action(await client.getScript(id));
    } catch (reason) {
      await showErrorMessage(failure, reason as Error);
    }
    refresh();
  };

  commands.addCommand(CommandIDs.renameScript, {
    label: trans.__('Rename or Move…'),
    describedBy: { args: ID_ARGS },
    execute: args =>
      run(args, trans.__('Cannot rename the script'), async script => {
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
        Notification.info(trans.__('Renamed “%1” to “%2”.', current, moved), {
          autoClose: 10000,
          actions: [
            {
              label: trans.__('Undo'),
              callback: () => {
                client
                  .getScript(script.id)
                  .then(now => move(now, script))
                  .then(refresh)
                  .catch(reason =>
                    showErrorMessage(trans.__('Cannot undo the rename'), reason)
                  );
              }
            }
          ]
        });
      })
  });

  commands.addCommand(CommandIDs.deleteScript, {
    label: trans.__('Delete'),
    describedBy: { args: ID_ARGS },
    execute: args =>
      run(args, trans.__('Cannot delete the script'), async script => {
        await closeEditors(docManager, script.path);
        await client.deleteScript(script.id);
        Notification.info(
          trans.__('Deleted “%1”. Its history is kept.', script.name),
          {
            autoClose: 10000,
            actions: [
              {
                label: trans.__('Undo'),
                callback: () => {
                  client
                    .updateScript(script.id, { deleted: false })
                    .then(refresh)
                    .catch(reason =>
                      showErrorMessage(
                        trans.__('Cannot restore the script'),
                        reason
                      )
                    );
                }
              }
            ]
          }
        );
      })
  });

  /** The visibility of the row right-clicked, to offer the one change that applies. */
  const rowVisibility = (): string | undefined =>
    app.contextMenuHitTest(el => el.classList.contains(ITEM_CLASS))?.dataset
      .visibility;

  const setVisibility =
    (visibility: 'team' | 'private') => (args: ReadonlyPartialJSONObject) =>
      run(args, trans.__('Cannot change who sees the script'), async script => {
        await client.updateScript(script.id, { visibility });
        Notification.info(
          visibility === 'team'
            ? trans.__('“%1” is shared with the team.', script.name)
            : trans.__('“%1” is private again.', script.name),
          { autoClose: 4000 }
        );
      });

  commands.addCommand(CommandIDs.shareScript, {
    label: trans.__('Share with the Team'),
    describedBy: { args: ID_ARGS },
    isVisible: () => rowVisibility() !== 'team',
    execute: setVisibility('team')
  });
  commands.addCommand(CommandIDs.makePrivate, {
    label: trans.__('Make Private'),
    describedBy: { args: ID_ARGS },
    isVisible: () => rowVisibility() !== 'private',
    execute: setVisibility('private')
  });

  const menu = [
    CommandIDs.openScript,
    CommandIDs.renameScript,
    CommandIDs.shareScript,
    CommandIDs.makePrivate,
    CommandIDs.deleteScript
  ];
  menu.forEach((command, rank) =>
    app.contextMenu.addItem({ command, selector: `.${ITEM_CLASS}`, rank })
  );
}
