/**
 * The plugins of the script editor: the tracker of which script the editor in
 * front edits (the `IScriptEditorTracker` other features use), and the editor's
 * toolbar (interpreter, Run, Snapshot, Publish) with its commands. Other files
 * get nothing.
 */
import {
  ILabShell,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { IEditorTracker } from '@jupyterlab/fileeditor';
import { ITranslator } from '@jupyterlab/translation';

import {
  IScriptEditorTracker,
  IScriptForgeClient,
  IUserRights
} from '../tokens';
import { bundleOf } from '../ui/translation';
import { addEditorCommands } from './commands';
import { ScriptEditorToolbars } from './toolbar';
import { ScriptEditorTracker } from './tracker';

/** Which script the file editor in front edits. */
export const trackerPlugin: JupyterFrontEndPlugin<IScriptEditorTracker> = {
  id: 'jupyter-scriptforge:script-tracker',
  description:
    'Follows the file editor in front and the ScriptForge script it edits.',
  autoStart: true,
  requires: [IScriptForgeClient, IEditorTracker],
  optional: [ILabShell],
  provides: IScriptEditorTracker,
  activate: (
    app: JupyterFrontEnd,
    client: IScriptForgeClient,
    editors: IEditorTracker,
    shell: ILabShell | null
  ) =>
    new ScriptEditorTracker(client, editors, app.serviceManager.contents, shell)
};

/** Toolbar items and commands for script editors. */
export const editorPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyter-scriptforge:editor',
  description:
    'Adds Run, Snapshot, Publish and an interpreter picker to script editors.',
  autoStart: true,
  requires: [IScriptForgeClient, IScriptEditorTracker],
  optional: [ICommandPalette, ITranslator, IUserRights],
  activate: (
    app: JupyterFrontEnd,
    client: IScriptForgeClient,
    tracker: IScriptEditorTracker,
    palette: ICommandPalette | null,
    translator: ITranslator | null,
    rights: IUserRights | null
  ) => {
    const trans = bundleOf(translator);
    addEditorCommands(app, palette, trans, client, tracker, rights);
    new ScriptEditorToolbars(app.commands, client, tracker, trans);
  }
};
