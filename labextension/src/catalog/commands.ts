/**
 * The commands of the Scripts panel as a whole: open it, refresh it, create a
 * script (from the palette, the Launcher or a folder's context menu), filter by
 * a tag.
 */
import {
  ICommandPalette,
  InputDialog,
  Notification
} from '@jupyterlab/apputils';

import { CommandIDs } from '../tokens';
import { addCommands } from '../ui/commands';
import { tryOrShowError } from '../ui/errors';
import { scriptForgeIcon } from '../ui/icons';
import { splitPath } from '../ui/scriptPath';
import { FOLDER_CLASS } from './rows';
import { ICatalogContext } from './scriptCommands';
import { ScriptsPanel } from './scriptsPanel';
import { folderAt } from './targets';

/** Add the panel's commands, in the palette too. */
export function addPanelCommands(
  ctx: ICatalogContext,
  palette: ICommandPalette | null,
  panel: ScriptsPanel
): void {
  const { app, client, trans } = ctx;
  const { commands } = app;

  const newScript = async (folder: string | null) => {
    const answer = await InputDialog.getText({
      title: trans.__('New Script'),
      label: trans.__(
        'Name, optionally in folders (e.g. reports/monthly_sales)'
      ),
      placeholder: 'folder/name',
      text: folder ? `${folder}/` : '',
      okLabel: trans.__('Create')
    });
    if (!answer.button.accept || !answer.value?.trim()) {
      return;
    }
    const typed = answer.value;
    return tryOrShowError(trans.__('Cannot create the script'), async () => {
      const script = await client.scripts.create(splitPath(typed));
      panel.refresh();
      // The editor, so the Launcher gives its tab to it as for any new file.
      return await commands.execute('docmanager:open', {
        path: script.path
      });
    });
  };

  /** The tag to show: the argument, else the user's pick among the tags in use. */
  const pickTag = async (): Promise<string | null> => {
    const tags = await client.scripts.tags();
    if (tags.length === 0) {
      Notification.info(trans.__('No script carries a tag yet.'), {
        autoClose: 4000
      });
      return null;
    }
    const answer = await InputDialog.getItem({
      title: trans.__('Show Scripts With Tag'),
      items: tags.map(t => t.tag),
      okLabel: trans.__('Show')
    });
    return answer.button.accept ? answer.value : null;
  };

  addCommands(
    app,
    palette,
    trans,
    {
      [CommandIDs.openScripts]: {
        label: trans.__('Open Scripts Panel'),
        caption: trans.__('Show the ScriptForge script catalog'),
        palette: true,
        execute: () => app.shell.activateById(panel.id)
      },
      [CommandIDs.refresh]: {
        label: trans.__('Refresh Scripts'),
        caption: trans.__('Fetch the script catalog and server status again'),
        palette: true,
        execute: () => panel.refresh()
      },
      [CommandIDs.newScript]: {
        needs: 'write',
        label: args =>
          args.isLauncher
            ? trans.__('Script')
            : args.folder !== undefined || folderAt(app) !== null
              ? trans.__('New Script Here…')
              : trans.__('New Script…'),
        caption: trans.__('Create a script in the catalog and open it'),
        icon: args => (args.isPalette ? undefined : scriptForgeIcon),
        describedBy: {
          args: {
            type: 'object',
            properties: {
              folder: {
                type: 'string',
                description: 'The folder to create it in'
              },
              isLauncher: {
                type: 'boolean',
                description: 'Labelled for the Launcher tile'
              }
            }
          }
        },
        palette: true,
        menu: { selector: `.${FOLDER_CLASS}`, rank: 0 },
        execute: args =>
          newScript(
            typeof args.folder === 'string' ? args.folder : folderAt(app)
          )
      },
      [CommandIDs.filterByTag]: {
        label: trans.__('Show Scripts With Tag…'),
        caption: trans.__('Filter the Scripts panel by a tag'),
        describedBy: {
          args: {
            type: 'object',
            properties: {
              tag: { type: 'string', description: 'The tag; "" shows all' }
            }
          }
        },
        palette: true,
        execute: async args => {
          const tag = typeof args.tag === 'string' ? args.tag : await pickTag();
          if (tag === null) {
            return;
          }
          panel.filterByTag(tag);
          app.shell.activateById(panel.id);
        }
      }
    },
    ctx.rights
  );
}
