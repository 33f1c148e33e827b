/**
 * The file editor of a script: toolbar (interpreter, Run, Snapshot, Publish),
 * and the commands behind it. Other files get nothing.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, showErrorMessage } from '@jupyterlab/apputils';
import { IEditorTracker } from '@jupyterlab/fileeditor';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { CommandToolbarButton, runIcon } from '@jupyterlab/ui-components';
import { ReadonlyPartialJSONObject } from '@lumino/coreutils';

import { ScriptForgeClient } from '../client';
import { CommandIDs, IScriptForgeClient } from '../tokens';
import { publishIcon, snapshotIcon } from '../versions/icons';
import { EditorWidget, IScriptEditorTracker } from '../versions/tracker';
import { InterpreterPicker } from './interpreterPicker';
import { snapshot } from './snapshot';

const PATH_ARGS = {
  type: 'object',
  properties: {
    path: {
      type: 'string',
      description: 'The script editor by file path; the current one if omitted'
    }
  }
};

/** Toolbar items and commands for script editors. */
export const editorPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyter-scriptforge:editor',
  description:
    'Adds Run, Snapshot, Publish and an interpreter picker to script editors.',
  autoStart: true,
  requires: [IScriptForgeClient, IScriptEditorTracker, IEditorTracker],
  optional: [ICommandPalette, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    client: ScriptForgeClient,
    tracker: IScriptEditorTracker,
    editors: IEditorTracker,
    palette: ICommandPalette | null,
    translator: ITranslator | null
  ) => {
    const trans = (translator ?? nullTranslator).load('jupyter_scriptforge');
    const { commands } = app;
    const pickers = new Map<EditorWidget, InterpreterPicker>();

    /** The script editor a command is about. */
    const target = (args: ReadonlyPartialJSONObject) =>
      tracker.find(typeof args.path === 'string' ? args.path : undefined);

    commands.addCommand(CommandIDs.runFromEditor, {
      label: trans.__('Run Script'),
      caption: trans.__('Save the script, then run it in a sandbox'),
      icon: runIcon,
      describedBy: { args: PATH_ARGS },
      isEnabled: args => target(args) !== null,
      execute: async args => {
        const editor = target(args);
        if (!editor) {
          return;
        }
        try {
          await editor.widget.context.save();
          await commands.execute(CommandIDs.runScript, {
            id: editor.script.id,
            source: 'working_copy'
          });
        } catch (reason) {
          await showErrorMessage(
            trans.__('Cannot run %1', editor.widget.context.localPath),
            reason as Error
          );
        }
      }
    });

    commands.addCommand(CommandIDs.snapshot, {
      label: trans.__('Snapshot…'),
      caption: trans.__(
        'Record the editor’s text as a version, with a message'
      ),
      icon: snapshotIcon,
      describedBy: { args: PATH_ARGS },
      isEnabled: args => target(args) !== null,
      execute: async args => {
        const editor = target(args);
        if (
          editor &&
          (await snapshot(
            client,
            app.serviceManager.contents,
            trans,
            editor.widget,
            editor.script
          ))
        ) {
          void tracker.refresh();
        }
      }
    });

    /** Give a script editor its toolbar items, once we know it is a script. */
    const decorate = async (widget: EditorWidget) => {
      await widget.context.ready;
      let script;
      try {
        script = await tracker.scriptAt(widget.context.path);
      } catch {
        return; // Not reachable now; the Version panel shows the error.
      }
      if (!script || widget.isDisposed || pickers.has(widget)) {
        return;
      }
      const args = { path: widget.context.path };
      const picker = new InterpreterPicker(client, script, trans, () => {
        void tracker.refresh();
      });
      pickers.set(widget, picker);
      widget.disposed.connect(() => pickers.delete(widget));
      const { toolbar } = widget;
      const button = (id: string, name: string, label: string) => {
        const item = new CommandToolbarButton({ commands, id, args, label });
        item.addClass(`jp-ScriptForge-editor-${name}`);
        return item;
      };
      toolbar.addItem('scriptforge-interpreter', picker);
      toolbar.addItem(
        'scriptforge-run',
        button(CommandIDs.runFromEditor, 'run', trans.__('Run'))
      );
      toolbar.addItem(
        'scriptforge-snapshot',
        button(CommandIDs.snapshot, 'snapshot', trans.__('Snapshot'))
      );
      const publish = new CommandToolbarButton({
        commands,
        id: CommandIDs.publish,
        args,
        label: trans.__('Publish'),
        icon: publishIcon
      });
      publish.addClass('jp-ScriptForge-editor-publish');
      toolbar.addItem('scriptforge-publish', publish);
    };
    editors.widgetAdded.connect((_, widget) => void decorate(widget));
    editors.forEach(widget => void decorate(widget));

    // Keep the pickers in step when the script changes (another picker, a refresh).
    tracker.changed.connect((_, active) => {
      // Toolbar buttons re-read isEnabled now that the script is known.
      for (const id of [
        CommandIDs.runFromEditor,
        CommandIDs.snapshot,
        CommandIDs.publish
      ]) {
        commands.notifyCommandChanged(id);
      }
      const picker = active.kind === 'script' && pickers.get(active.widget);
      if (picker) {
        picker.script = active.script;
      }
    });

    const category = trans.__('ScriptForge');
    for (const command of [CommandIDs.runFromEditor, CommandIDs.snapshot]) {
      palette?.addItem({ command, category });
    }
  }
};
