/**
 * The Scripts sidebar: the catalog and the commands that work it. It provides
 * `IScriptsPanel`, through which other features act on the script a user points
 * at and add their sections.
 */
import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { IDocumentManager } from '@jupyterlab/docmanager';
import { Contents } from '@jupyterlab/services';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator } from '@jupyterlab/translation';

import {
  CommandIDs,
  IScriptForgeClient,
  IScriptsPanel,
  IUserRights
} from '../tokens';
import { scriptForgeIcon } from '../ui/icons';
import { followSettings } from '../ui/settings';
import { bundleOf } from '../ui/translation';
import { addPanelCommands } from './commands';
import { ITEM_CLASS } from './rows';
import {
  addScriptCommands,
  ICatalogContext,
  openScript
} from './scriptCommands';
import { ScriptsPanel } from './scriptsPanel';
import { scriptIdOf } from './targets';

const PLUGIN_ID = 'jupyter-scriptforge:scripts-panel';
// Saves come in bursts (autosave, several files): refresh the list once they settle.
const REFRESH_AFTER_SAVE_MS = 1000;

/** The "Scripts" sidebar and the commands that work the catalog. */
export const scriptsPanelPlugin: JupyterFrontEndPlugin<IScriptsPanel> = {
  id: PLUGIN_ID,
  description: 'Adds the Scripts sidebar panel with the script catalog.',
  autoStart: true,
  requires: [IScriptForgeClient],
  optional: [
    ICommandPalette,
    ILayoutRestorer,
    ITranslator,
    ISettingRegistry,
    IDocumentManager,
    IUserRights
  ],
  provides: IScriptsPanel,
  activate: (
    app: JupyterFrontEnd,
    client: IScriptForgeClient,
    palette: ICommandPalette | null,
    restorer: ILayoutRestorer | null,
    translator: ITranslator | null,
    settingRegistry: ISettingRegistry | null,
    docManager: IDocumentManager | null,
    rights: IUserRights | null
  ): IScriptsPanel => {
    const trans = bundleOf(translator);
    const ctx: ICatalogContext = {
      app,
      client,
      trans,
      docManager,
      rights,
      refresh: () => panel.refresh()
    };
    const panel = new ScriptsPanel(
      client,
      {
        openScript: script => void openScript(ctx, script),
        newScript: () => void app.commands.execute(CommandIDs.newScript),
        mayCreate: () => app.commands.isVisible(CommandIDs.newScript)
      },
      trans
    );
    // Once the user's rights are known, the panel offers only what they allow.
    rights?.changed.connect(() => {
      if (rights.limited) {
        panel.refresh();
      }
    });
    panel.id = 'jp-scriptforge-scripts';
    panel.title.icon = scriptForgeIcon;
    panel.title.caption = trans.__('Scripts');
    app.shell.add(panel, 'left', { rank: 250, type: 'Scripts' });
    restorer?.add(panel, 'scriptforge-scripts');
    followSettings(settingRegistry, PLUGIN_ID, settings => {
      const limit = settings.get('openFoldersUpTo').composite;
      if (typeof limit === 'number') {
        panel.openFoldersUpTo = limit;
      }
    }).catch(reason =>
      console.error('ScriptForge: cannot load the panel settings', reason)
    );

    addPanelCommands(ctx, palette, panel);
    addScriptCommands(ctx);
    refreshAfterSaves(app.serviceManager.contents, panel);

    return {
      scriptSelector: `.${ITEM_CLASS}`,
      scriptIdOf: args => scriptIdOf(app, args),
      addSection: section => panel.addSection(section)
    };
  }
};

/** Fetch the catalog again once a burst of saves of Python files settles. */
function refreshAfterSaves(
  contents: Contents.IManager,
  panel: ScriptsPanel
): void {
  let timer = 0;
  contents.fileChanged.connect((_sender, change: Contents.IChangedArgs) => {
    const path = change.newValue?.path ?? '';
    if (path.endsWith('.py')) {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => panel.refresh(), REFRESH_AFTER_SAVE_MS);
    }
  });
}
