/**
 * The Runs plugin: the Runs panel, the group editors, and the commands of runs
 * and groups.
 */
import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  ICommandPalette,
  MainAreaWidget,
  WidgetTracker
} from '@jupyterlab/apputils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { listIcon, runIcon } from '@jupyterlab/ui-components';

import { IRun, ScriptForgeClient } from '../client';
import { CommandIDs, IScriptForgeClient } from '../tokens';
import { addRunCommands } from './commands';
import { GroupEditor, GroupEditorWidget } from './groupEditor';
import { RunLabels } from './labels';
import { RunsPanel } from './runsPanel';
import { DEFAULT_SETTINGS, IRunsSettings, readSettings } from './settings';

const PLUGIN_ID = 'jupyter-scriptforge:runs';
const RUNS_PANEL_ID = 'jp-scriptforge-runs';

export const runsPlugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description:
    'Adds the Runs panel with live output, the group editor and the commands to run scripts and groups.',
  autoStart: true,
  requires: [IScriptForgeClient],
  optional: [ICommandPalette, ILayoutRestorer, ISettingRegistry, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    client: ScriptForgeClient,
    palette: ICommandPalette | null,
    restorer: ILayoutRestorer | null,
    settingRegistry: ISettingRegistry | null,
    translator: ITranslator | null
  ) => {
    const trans = (translator ?? nullTranslator).load('jupyter_scriptforge');
    const labels = new RunLabels(client);
    let settings: IRunsSettings = DEFAULT_SETTINGS;

    const runsTracker = new WidgetTracker<MainAreaWidget<RunsPanel>>({
      namespace: 'scriptforge-runs'
    });
    const groupTracker = new WidgetTracker<MainAreaWidget<GroupEditor>>({
      namespace: 'scriptforge-group'
    });
    let runs: MainAreaWidget<RunsPanel> | null = null;

    const actions = {
      cancel: async (run: IRun): Promise<IRun | null> =>
        ((await app.commands.execute(CommandIDs.cancelRun, {
          runId: run.id
        })) as IRun | null) ?? null,
      rerun: (run: IRun) =>
        void app.commands.execute(CommandIDs.rerun, { runId: run.id }),
      fix: (run: IRun) =>
        void app.commands.execute(CommandIDs.fixRun, { runId: run.id })
    };

    /** The Runs panel, created and placed in the main area if it is not there. */
    const openRuns = (): RunsPanel => {
      if (runs === null || runs.isDisposed) {
        const content = new RunsPanel(
          client,
          labels,
          actions,
          translator ?? nullTranslator,
          settings
        );
        content.title.label = trans.__('Runs');
        content.title.icon = runIcon;
        content.title.caption = trans.__('Your runs and their output');
        runs = new MainAreaWidget({ content });
        runs.id = RUNS_PANEL_ID;
        // The panel has its own header; an empty toolbar would only take room.
        runs.toolbar.hide();
        void runsTracker.add(runs);
      }
      if (!runs.isAttached) {
        // Under the file being edited, so code and output show together.
        const current = app.shell.currentWidget;
        const underEditor =
          current !== null && current.hasClass('jp-Document')
            ? { mode: 'split-bottom' as const, ref: current.id }
            : undefined;
        app.shell.add(runs, 'main', underEditor);
      }
      app.shell.activateById(runs.id);
      return runs.content;
    };

    const openGroupEditor = (groupId: number): void => {
      const open = groupTracker.find(
        widget => widget.content.groupId === groupId
      );
      if (open) {
        app.shell.activateById(open.id);
        return;
      }
      const content = new GroupEditor(groupId, client, labels, trans, {
        run: id =>
          void app.commands.execute(CommandIDs.runGroup, { groupId: id })
      });
      content.title.icon = listIcon;
      const widget = new GroupEditorWidget({ content });
      widget.id = `jp-scriptforge-group-${groupId}`;
      widget.toolbar.hide();
      void groupTracker.add(widget);
      app.shell.add(widget, 'main');
      app.shell.activateById(widget.id);
    };

    addRunCommands({
      app,
      client,
      trans,
      settings: () => settings,
      showRun: (runId, fresh) => openRuns().showRun(runId, fresh),
      openRuns: () => void openRuns(),
      selectedRun: () =>
        runs !== null && !runs.isDisposed ? runs.content.selectedId : null,
      openGroupEditor
    });

    if (settingRegistry) {
      settingRegistry
        .load(PLUGIN_ID)
        .then(loaded => {
          const apply = () => {
            settings = readSettings(loaded);
            if (runs !== null && !runs.isDisposed) {
              runs.content.settings = settings;
            }
          };
          apply();
          loaded.changed.connect(apply);
        })
        .catch(reason =>
          console.warn('ScriptForge: cannot read the Runs settings', reason)
        );
    }

    if (restorer) {
      void restorer.restore(runsTracker, {
        command: CommandIDs.openRuns,
        name: () => 'runs'
      });
      void restorer.restore(groupTracker, {
        command: CommandIDs.editGroup,
        args: widget => ({ groupId: widget.content.groupId }),
        name: widget => String(widget.content.groupId)
      });
    }

    const category = trans.__('ScriptForge');
    for (const command of [
      CommandIDs.openRuns,
      CommandIDs.newGroup,
      CommandIDs.cancelRun,
      CommandIDs.rerun
    ]) {
      palette?.addItem({ command, category });
    }
  }
};
