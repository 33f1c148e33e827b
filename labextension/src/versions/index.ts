/**
 * Plugins of the version features: the script-editor tracker, the Version panel
 * with its commands, and the status bar item.
 */
import {
  ILabShell,
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { IEditorLanguageRegistry } from '@jupyterlab/codemirror';
import { IEditorTracker } from '@jupyterlab/fileeditor';
import { IStatusBar } from '@jupyterlab/statusbar';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { historyIcon } from '@jupyterlab/ui-components';

import { ScriptForgeClient } from '../client';
import { CommandIDs, IScriptForgeClient } from '../tokens';
import { IVersionsContext } from './actions';
import { addVersionCommands } from './commands';
import { VersionsModel } from './model';
import { VersionsPanel } from './panel';
import { VersionStatus } from './statusItem';
import { IScriptEditorTracker, ScriptEditorTracker } from './tracker';

const PLUGIN_PREFIX = 'jupyter-scriptforge';
/** The id of the Version panel in the right sidebar. */
export const VERSIONS_PANEL_ID = 'jp-scriptforge-versions';

/** Which script the file editor in front edits. */
const trackerPlugin: JupyterFrontEndPlugin<IScriptEditorTracker> = {
  id: `${PLUGIN_PREFIX}:script-tracker`,
  description:
    'Follows the file editor in front and the ScriptForge script it edits.',
  autoStart: true,
  requires: [IScriptForgeClient, IEditorTracker],
  optional: [ILabShell],
  provides: IScriptEditorTracker,
  activate: (
    app: JupyterFrontEnd,
    client: ScriptForgeClient,
    editors: IEditorTracker,
    shell: ILabShell | null
  ) =>
    new ScriptEditorTracker(client, editors, app.serviceManager.contents, shell)
};

/** The Version panel, the diff view and the version commands. */
const versionsPlugin: JupyterFrontEndPlugin<void> = {
  id: `${PLUGIN_PREFIX}:versions`,
  description:
    'Adds the Versions panel: history, diffs, restore, labels and publishing of scripts.',
  autoStart: true,
  requires: [IScriptForgeClient, IScriptEditorTracker],
  optional: [
    ICommandPalette,
    ILayoutRestorer,
    IEditorLanguageRegistry,
    ITranslator
  ],
  activate: (
    app: JupyterFrontEnd,
    client: ScriptForgeClient,
    tracker: IScriptEditorTracker,
    palette: ICommandPalette | null,
    restorer: ILayoutRestorer | null,
    languages: IEditorLanguageRegistry | null,
    translator: ITranslator | null
  ) => {
    const trans = (translator ?? nullTranslator).load('jupyter_scriptforge');
    const ctx: IVersionsContext = { app, client, tracker, trans, languages };
    const model = new VersionsModel(client, tracker);
    const run = (command: string) => (version: { id: number }) =>
      void app.commands.execute(command, { versionId: version.id });

    const panel = new VersionsPanel(
      model,
      {
        compareWithWorkingCopy: run(CommandIDs.compareWithWorkingCopy),
        select: run(CommandIDs.selectForCompare),
        compareWithSelected: run(CommandIDs.compareWithSelected),
        restore: run(CommandIDs.restoreVersion),
        label: run(CommandIDs.labelVersion),
        removeLabel: (version, label) =>
          void app.commands.execute(CommandIDs.removeLabel, {
            versionId: version.id,
            label
          }),
        publish: run(CommandIDs.publish)
      },
      translator ?? nullTranslator
    );
    panel.id = VERSIONS_PANEL_ID;
    panel.title.icon = historyIcon;
    panel.title.caption = trans.__('Versions');
    app.shell.add(panel, 'right', { rank: 600, type: 'Versions' });
    restorer?.add(panel, 'scriptforge-versions');

    addVersionCommands(ctx, model, () => app.shell.activateById(panel.id));

    const category = trans.__('ScriptForge');
    for (const command of [
      CommandIDs.openVersions,
      CommandIDs.compareVersions,
      CommandIDs.compareWithWorkingCopy,
      CommandIDs.publish
    ]) {
      palette?.addItem({ command, category });
    }
  }
};

/** "v5 · published" in the status bar for a script editor. */
const statusPlugin: JupyterFrontEndPlugin<void> = {
  id: `${PLUGIN_PREFIX}:version-status`,
  description:
    'Shows the version and published state of the script in the editor.',
  autoStart: true,
  requires: [IScriptForgeClient, IScriptEditorTracker],
  optional: [IStatusBar, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    client: ScriptForgeClient,
    tracker: IScriptEditorTracker,
    statusBar: IStatusBar | null,
    translator: ITranslator | null
  ) => {
    if (!statusBar) {
      return;
    }
    const trans = (translator ?? nullTranslator).load('jupyter_scriptforge');
    const item = new VersionStatus(client, tracker, trans, () => {
      void app.commands.execute(CommandIDs.openVersions);
    });
    statusBar.registerStatusItem(`${PLUGIN_PREFIX}:version-status`, {
      item,
      align: 'left',
      rank: 5,
      isActive: () => item.isActive,
      activeStateChanged: item.activeStateChanged
    });
  }
};

export default [trackerPlugin, versionsPlugin, statusPlugin];
