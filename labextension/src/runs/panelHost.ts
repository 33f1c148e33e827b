/**
 * Where the Runs panel lives: one main-area tab, made when first asked for and
 * placed under the file being edited, so code and output show together.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { MainAreaWidget, WidgetTracker } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { runIcon } from '@jupyterlab/ui-components';

import { IScriptForgeClient } from '../client';
import { IResourceLabels } from '../tokens';
import { IRunActions } from './runDetail';
import { RunsPanel } from './runsPanel';
import { IRunsSettings } from './settings';

const RUNS_PANEL_ID = 'jp-scriptforge-runs';

export class RunsPanelHost {
  constructor(
    private readonly _app: JupyterFrontEnd,
    private readonly _client: IScriptForgeClient,
    private readonly _labels: IResourceLabels,
    private readonly _actions: IRunActions,
    private readonly _trans: TranslationBundle,
    private _settings: IRunsSettings
  ) {}

  /** The tab, for the layout restorer. */
  readonly tracker = new WidgetTracker<MainAreaWidget<RunsPanel>>({
    namespace: 'scriptforge-runs'
  });

  /** The run selected in the panel, if the panel is open. */
  get selectedRun(): number | null {
    const runs = this._runs;
    return runs !== null && !runs.isDisposed ? runs.content.selectedId : null;
  }

  /** The user's settings, for the panel now and when it is made. */
  set settings(settings: IRunsSettings) {
    this._settings = settings;
    const runs = this._runs;
    if (runs !== null && !runs.isDisposed) {
      runs.content.settings = settings;
    }
  }

  get settings(): IRunsSettings {
    return this._settings;
  }

  /** The Runs panel, created and placed in the main area if it is not there. */
  open(): RunsPanel {
    const { shell } = this._app;
    let runs = this._runs;
    if (runs === null || runs.isDisposed) {
      const content = new RunsPanel(
        this._client,
        this._labels,
        this._actions,
        this._trans,
        this._settings
      );
      content.title.label = this._trans.__('Runs');
      content.title.icon = runIcon;
      content.title.caption = this._trans.__('Your runs and their output');
      runs = this._runs = new MainAreaWidget({ content });
      runs.id = RUNS_PANEL_ID;
      // The panel has its own header; an empty toolbar would only take room.
      runs.toolbar.hide();
      void this.tracker.add(runs);
    }
    if (!runs.isAttached) {
      // Under the file being edited, so code and output show together.
      const current = shell.currentWidget;
      const underEditor =
        current !== null && current.hasClass('jp-Document')
          ? { mode: 'split-bottom' as const, ref: current.id }
          : undefined;
      shell.add(runs, 'main', underEditor);
    }
    shell.activateById(runs.id);
    return runs.content;
  }

  private _runs: MainAreaWidget<RunsPanel> | null = null;
}
