import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import { ScriptForgeClient } from './client';
import { scriptForgeIcon } from './icons';
import { CommandIDs, IScriptForgeClient } from './tokens';
import { ScriptsPanel } from './widgets/scriptsPanel';

const PLUGIN_PREFIX = 'jupyter-scriptforge';

/** Provides the REST client every other plugin uses. */
const clientPlugin: JupyterFrontEndPlugin<ScriptForgeClient> = {
  id: `${PLUGIN_PREFIX}:client`,
  description: 'Provides the typed client of the ScriptForge REST API.',
  autoStart: true,
  provides: IScriptForgeClient,
  activate: () => new ScriptForgeClient()
};

/** The "Scripts" sidebar and the commands that open it. */
const scriptsPanelPlugin: JupyterFrontEndPlugin<void> = {
  id: `${PLUGIN_PREFIX}:scripts-panel`,
  description: 'Adds the Scripts sidebar panel.',
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
    const panel = new ScriptsPanel(client, translator ?? nullTranslator);
    panel.id = 'jp-scriptforge-scripts';
    panel.title.icon = scriptForgeIcon;
    panel.title.caption = trans.__('Scripts');
    app.shell.add(panel, 'left', { rank: 250, type: 'Scripts' });
    restorer?.add(panel, 'scriptforge-scripts');

    app.commands.addCommand(CommandIDs.openScripts, {
      label: trans.__('Open Scripts Panel'),
      caption: trans.__('Show the ScriptForge script catalog'),
      execute: () => app.shell.activateById(panel.id)
    });
    app.commands.addCommand(CommandIDs.refreshHealth, {
      label: trans.__('Refresh ScriptForge Server Status'),
      execute: () => panel.refresh()
    });

    const category = trans.__('ScriptForge');
    palette?.addItem({ command: CommandIDs.openScripts, category });
    palette?.addItem({ command: CommandIDs.refreshHealth, category });
  }
};

export default [clientPlugin, scriptsPanelPlugin];
