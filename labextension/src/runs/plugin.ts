/**
 * The Runs plugin: the Runs panel and the commands that run scripts and groups
 * and act on runs.
 */
import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator } from '@jupyterlab/translation';

import { IRun } from '../client';
import {
  CommandIDs,
  IResourceLabels,
  IParameterForms,
  IScriptForgeClient,
  IScriptsPanel,
  IUserRights
} from '../tokens';
import { followSettings } from '../ui/settings';
import { bundleOf } from '../ui/translation';
import { addRunCommands } from './commands';
import { noticeFailedRuns } from './endNotices';
import { RunsPanelHost } from './panelHost';
import { IRunActions } from './runDetail';
import { DEFAULT_SETTINGS, readSettings } from './settings';

const PLUGIN_ID = 'jupyter-scriptforge:runs';

export const runsPlugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description:
    'Adds the Runs panel with live output and the commands to run scripts and groups.',
  autoStart: true,
  requires: [IScriptForgeClient, IResourceLabels],
  optional: [
    ICommandPalette,
    ILayoutRestorer,
    ISettingRegistry,
    ITranslator,
    IScriptsPanel,
    IUserRights,
    IParameterForms
  ],
  activate: (
    app: JupyterFrontEnd,
    client: IScriptForgeClient,
    labels: IResourceLabels,
    palette: ICommandPalette | null,
    restorer: ILayoutRestorer | null,
    settingRegistry: ISettingRegistry | null,
    translator: ITranslator | null,
    scripts: IScriptsPanel | null,
    rights: IUserRights | null,
    forms: IParameterForms | null
  ) => {
    const trans = bundleOf(translator);
    const host = new RunsPanelHost(
      app,
      client,
      labels,
      runActions(app),
      trans,
      DEFAULT_SETTINGS
    );
    addRunCommands(
      {
        app,
        client,
        trans,
        scripts,
        rights,
        forms,
        settings: () => host.settings,
        showRun: (runId, fresh) => host.open().showRun(runId, fresh),
        openRuns: () => void host.open(),
        selectedRun: () => host.selectedRun
      },
      palette
    );
    followSettings(settingRegistry, PLUGIN_ID, loaded => {
      host.settings = readSettings(loaded);
    }).catch(reason =>
      console.warn('ScriptForge: cannot read the Runs settings', reason)
    );
    void restorer?.restore(host.tracker, {
      command: CommandIDs.openRuns,
      name: () => 'runs'
    });
    noticeFailedRuns(app, client, labels, trans);
  }
};

/** The Runs panel's buttons: each runs its command on the run. */
function runActions(app: JupyterFrontEnd): IRunActions {
  return {
    cancel: async (run: IRun): Promise<IRun | null> =>
      ((await app.commands.execute(CommandIDs.cancelRun, {
        runId: run.id
      })) as IRun | null) ?? null,
    rerun: (run: IRun) =>
      void app.commands.execute(CommandIDs.rerun, { runId: run.id }),
    fix: (run: IRun) =>
      void app.commands.execute(CommandIDs.fixRun, { runId: run.id })
  };
}
