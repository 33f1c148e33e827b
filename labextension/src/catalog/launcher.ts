/**
 * The Launcher's "Script" tile: ScriptForge's New Script command beside
 * JupyterLab's own file kinds.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ILauncher } from '@jupyterlab/launcher';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import { CommandIDs } from '../tokens';

/** Right after JupyterLab's Python File (rank 3) in the "Other" section. */
const LAUNCHER_RANK = 4;

export const launcherPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyter-scriptforge:launcher',
  description:
    'Adds a Script tile to the Launcher, to create a catalog script.',
  autoStart: true,
  optional: [ILauncher, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    launcher: ILauncher | null,
    translator: ITranslator | null
  ) => {
    if (!launcher) {
      return;
    }
    // JupyterLab's own words, so the tile joins its section in every language.
    const lab = (translator ?? nullTranslator).load('jupyterlab');
    launcher.add({
      command: CommandIDs.newScript,
      args: { isLauncher: true },
      category: lab.__('Other'),
      rank: LAUNCHER_RANK
    });
  }
};
