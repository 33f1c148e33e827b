/**
 * Plugins of the version features: the Version panel with its commands, and the
 * status bar item. Both follow the script editor through `IScriptEditorTracker`.
 */
import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { IEditorLanguageRegistry } from '@jupyterlab/codemirror';
import { IStatusBar } from '@jupyterlab/statusbar';
import { ITranslator } from '@jupyterlab/translation';
import { historyIcon } from '@jupyterlab/ui-components';

import {
  CommandIDs,
  IScriptEditorTracker,
  IScriptForgeClient,
  IUserRights
} from '../tokens';
import { bundleOf } from '../ui/translation';
import { addVersionCommands, panelActions } from './commands';
import { VersionsModel } from './model';
import { VersionsPanel } from './panel';
import { VersionStatus } from './statusItem';

/** The id of the Version panel in the right sidebar. */
export const VERSIONS_PANEL_ID = 'jp-scriptforge-versions';

/** The Version panel, the diff view and the version commands. */
export const versionsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyter-scriptforge:versions',
  description:
    'Adds the Versions panel: history, diffs, restore, labels and publishing of scripts.',
  autoStart: true,
  requires: [IScriptForgeClient, IScriptEditorTracker],
  optional: [
    ICommandPalette,
    ILayoutRestorer,
    IEditorLanguageRegistry,
    ITranslator,
    IUserRights
  ],
  activate: (
    app: JupyterFrontEnd,
    client: IScriptForgeClient,
    tracker: IScriptEditorTracker,
    palette: ICommandPalette | null,
    restorer: ILayoutRestorer | null,
    languages: IEditorLanguageRegistry | null,
    translator: ITranslator | null,
    rights: IUserRights | null
  ) => {
    const trans = bundleOf(translator);
    const model = new VersionsModel(client, tracker);
    const panel = new VersionsPanel(model, panelActions(app.commands), trans);
    panel.id = VERSIONS_PANEL_ID;
    panel.title.icon = historyIcon;
    panel.title.caption = trans.__('Versions');
    app.shell.add(panel, 'right', { rank: 600, type: 'Versions' });
    restorer?.add(panel, 'scriptforge-versions');

    const ctx = { app, client, tracker, trans, languages, rights };
    addVersionCommands(ctx, palette, model, () =>
      app.shell.activateById(panel.id)
    );
  }
};

/** "v5 · published" in the status bar for a script editor. */
export const statusPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyter-scriptforge:version-status',
  description:
    'Shows the version and published state of the script in the editor.',
  autoStart: true,
  requires: [IScriptForgeClient, IScriptEditorTracker],
  optional: [IStatusBar, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    client: IScriptForgeClient,
    tracker: IScriptEditorTracker,
    statusBar: IStatusBar | null,
    translator: ITranslator | null
  ) => {
    if (!statusBar) {
      return;
    }
    const item = new VersionStatus(
      client,
      tracker,
      bundleOf(translator),
      () => {
        void app.commands.execute(CommandIDs.openVersions);
      }
    );
    statusBar.registerStatusItem(statusPlugin.id, {
      item,
      align: 'left',
      rank: 5,
      isActive: () => item.isActive,
      activeStateChanged: item.activeStateChanged
    });
  }
};
