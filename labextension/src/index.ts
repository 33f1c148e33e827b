import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  ICommandPalette,
  InputDialog,
  Notification,
  showErrorMessage
} from '@jupyterlab/apputils';
import { Contents } from '@jupyterlab/services';
import { IDocumentManager } from '@jupyterlab/docmanager';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import { FOLDER_CLASS } from './catalog/rows';
import { addCatalogCommands, scriptIdOf, splitPath } from './catalogCommands';
import { IScript, ScriptForgeClient } from './client';
import { scriptForgeIcon } from './icons';
import { assistantPlugin } from './assistant/plugin';
import { runsPlugin } from './runs/plugin';
import { CommandIDs, IScriptForgeClient } from './tokens';
import { ScriptsPanel } from './widgets/scriptsPanel';
import versionPlugins from './versions';
import { editorPlugin } from './editor';
import { launcherPlugin } from './launcher/plugin';

const PLUGIN_PREFIX = 'jupyter-scriptforge';

/** The folder of the catalog row right-clicked, or null. */
function folderAt(app: JupyterFrontEnd): string | null {
  const row = app.contextMenuHitTest(el => el.classList.contains(FOLDER_CLASS));
  return row?.dataset.folder ?? null;
}
// Saves come in bursts (autosave, several files): refresh the list once they settle.
const REFRESH_AFTER_SAVE_MS = 1000;

/** Provides the REST client every other plugin uses. */
const clientPlugin: JupyterFrontEndPlugin<ScriptForgeClient> = {
  id: `${PLUGIN_PREFIX}:client`,
  description: 'Provides the typed client of the ScriptForge REST API.',
  autoStart: true,
  provides: IScriptForgeClient,
  activate: () => new ScriptForgeClient()
};

/** The "Scripts" sidebar and the commands that work the catalog. */
const scriptsPanelPlugin: JupyterFrontEndPlugin<void> = {
  id: `${PLUGIN_PREFIX}:scripts-panel`,
  description: 'Adds the Scripts sidebar panel with the script catalog.',
  autoStart: true,
  requires: [IScriptForgeClient],
  optional: [
    ICommandPalette,
    ILayoutRestorer,
    ITranslator,
    ISettingRegistry,
    IDocumentManager
  ],
  activate: (
    app: JupyterFrontEnd,
    client: ScriptForgeClient,
    palette: ICommandPalette | null,
    restorer: ILayoutRestorer | null,
    translator: ITranslator | null,
    settingRegistry: ISettingRegistry | null,
    docManager: IDocumentManager | null
  ) => {
    const trans = (translator ?? nullTranslator).load('jupyter_scriptforge');
    const { commands } = app;

    const openScript = async (script: IScript) => {
      try {
        const ready = await client.openScript(script.id);
        await commands.execute('docmanager:open', { path: ready.path });
      } catch (reason) {
        await showErrorMessage(
          trans.__('Cannot open %1', script.name),
          reason as Error
        );
      }
    };

    const panel = new ScriptsPanel(
      client,
      {
        openScript: script => void openScript(script),
        newScript: () => void commands.execute(CommandIDs.newScript),
        commands
      },
      translator ?? nullTranslator
    );
    panel.id = 'jp-scriptforge-scripts';
    panel.title.icon = scriptForgeIcon;
    panel.title.caption = trans.__('Scripts');
    app.shell.add(panel, 'left', { rank: 250, type: 'Scripts' });
    restorer?.add(panel, 'scriptforge-scripts');
    settingRegistry
      ?.load(scriptsPanelPlugin.id)
      .then(settings => {
        const apply = () => {
          const limit = settings.get('openFoldersUpTo').composite;
          if (typeof limit === 'number') {
            panel.openFoldersUpTo = limit;
          }
        };
        apply();
        settings.changed.connect(apply);
      })
      .catch(reason =>
        console.error('ScriptForge: cannot load the panel settings', reason)
      );

    commands.addCommand(CommandIDs.openScripts, {
      label: trans.__('Open Scripts Panel'),
      caption: trans.__('Show the ScriptForge script catalog'),
      execute: () => app.shell.activateById(panel.id)
    });
    commands.addCommand(CommandIDs.refresh, {
      label: trans.__('Refresh Scripts'),
      caption: trans.__('Fetch the script catalog and server status again'),
      execute: () => panel.refresh()
    });
    commands.addCommand(CommandIDs.newScript, {
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
      execute: async args => {
        const folder =
          typeof args.folder === 'string' ? args.folder : folderAt(app);
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
        try {
          const script = await client.createScript(splitPath(answer.value));
          panel.refresh();
          // The editor, so the Launcher gives its tab to it as for any new file.
          return await commands.execute('docmanager:open', {
            path: script.path
          });
        } catch (reason) {
          await showErrorMessage(
            trans.__('Cannot create the script'),
            reason as Error
          );
        }
      }
    });
    commands.addCommand(CommandIDs.openScript, {
      label: trans.__('Open'),
      describedBy: {
        args: {
          type: 'object',
          properties: { id: { type: 'number', description: 'The script id' } }
        }
      },
      execute: async args => {
        const id = scriptIdOf(app, args);
        if (id !== null) {
          await openScript(await client.getScript(id));
        }
      }
    });
    addCatalogCommands(app, client, docManager, trans, () => panel.refresh());
    app.contextMenu.addItem({
      command: CommandIDs.newScript,
      selector: `.${FOLDER_CLASS}`,
      rank: 0
    });
    commands.addCommand(CommandIDs.filterByTag, {
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
      execute: async args => {
        let tag = typeof args.tag === 'string' ? args.tag : null;
        if (tag === null) {
          const tags = await client.listTags();
          if (tags.length === 0) {
            Notification.info(trans.__('No script carries a tag yet.'), {
              autoClose: 4000
            });
            return;
          }
          const answer = await InputDialog.getItem({
            title: trans.__('Show Scripts With Tag'),
            items: tags.map(t => t.tag),
            okLabel: trans.__('Show')
          });
          if (!answer.button.accept || answer.value === null) {
            return;
          }
          tag = answer.value;
        }
        panel.filterByTag(tag);
        app.shell.activateById(panel.id);
      }
    });

    let refreshTimer = 0;
    app.serviceManager.contents.fileChanged.connect(
      (_sender, change: Contents.IChangedArgs) => {
        const path = change.newValue?.path ?? '';
        if (path.endsWith('.py')) {
          window.clearTimeout(refreshTimer);
          refreshTimer = window.setTimeout(
            () => panel.refresh(),
            REFRESH_AFTER_SAVE_MS
          );
        }
      }
    );

    const category = trans.__('ScriptForge');
    for (const command of [
      CommandIDs.openScripts,
      CommandIDs.newScript,
      CommandIDs.filterByTag,
      CommandIDs.refresh
    ]) {
      palette?.addItem({ command, category });
    }
  }
};

export default [
  clientPlugin,
  scriptsPanelPlugin,
  runsPlugin,
  ...versionPlugins,
  editorPlugin,
  assistantPlugin,
  launcherPlugin
];
