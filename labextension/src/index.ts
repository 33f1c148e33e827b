import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  ICommandPalette,
  InputDialog,
  showErrorMessage
} from '@jupyterlab/apputils';
import { Contents } from '@jupyterlab/services';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import { addCatalogCommands, ITEM_CLASS, splitPath } from './catalogCommands';
import { IScript, ScriptForgeClient } from './client';
import { scriptForgeIcon } from './icons';
import { CommandIDs, IScriptForgeClient } from './tokens';
import { ScriptsPanel } from './widgets/scriptsPanel';

const PLUGIN_PREFIX = 'jupyter-scriptforge';
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
  optional: [ICommandPalette, ILayoutRestorer, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    client: ScriptForgeClient,
    palette: ICommandPalette | null,
    restorer: ILayoutRestorer | null,
    translator: ITranslator | null
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
        newScript: () => void commands.execute(CommandIDs.newScript)
      },
      translator ?? nullTranslator
    );
    panel.id = 'jp-scriptforge-scripts';
    panel.title.icon = scriptForgeIcon;
    panel.title.caption = trans.__('Scripts');
    app.shell.add(panel, 'left', { rank: 250, type: 'Scripts' });
    restorer?.add(panel, 'scriptforge-scripts');

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
      label: trans.__('New Script…'),
      caption: trans.__('Create a script in the catalog and open it'),
      execute: async () => {
        const answer = await InputDialog.getText({
          title: trans.__('New Script'),
          label: trans.__(
            'Name, optionally in folders (e.g. reports/monthly_sales)'
          ),
          placeholder: 'folder/name',
          okLabel: trans.__('Create')
        });
        if (!answer.button.accept || !answer.value?.trim()) {
          return;
        }
        try {
          const script = await client.createScript(splitPath(answer.value));
          panel.refresh();
          await commands.execute('docmanager:open', { path: script.path });
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
        const node = app.contextMenuHitTest(el =>
          el.classList.contains(ITEM_CLASS)
        );
        const id =
          typeof args.id === 'number'
            ? args.id
            : Number(node?.dataset.scriptId);
        if (Number.isInteger(id)) {
          await openScript(await client.getScript(id));
        }
      }
    });
    addCatalogCommands(app, client, trans, () => panel.refresh());

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
      CommandIDs.refresh
    ]) {
      palette?.addItem({ command, category });
    }
  }
};

export default [clientPlugin, scriptsPanelPlugin];
