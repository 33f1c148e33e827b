/**
 * The file editor of a script: toolbar (interpreter, Run, Snapshot, Publish),
 * and the commands behind it. Other files get nothing.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, showErrorMessage } from '@jupyterlab/apputils';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { CommandToolbarButton, runIcon } from '@jupyterlab/ui-components';
import { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import { Widget } from '@lumino/widgets';

import { IScript, ScriptForgeClient } from '../client';
import { CommandIDs, IScriptForgeClient } from '../tokens';
import { publishIcon, snapshotIcon } from '../versions/icons';
import {
  ActiveScript,
  EditorWidget,
  editorQuery,
  IScriptEditorTracker
} from '../versions/tracker';
import { InterpreterPicker } from './interpreterPicker';
import { snapshot } from './snapshot';

const EDITOR_ARGS = {
  type: 'object',
  properties: {
    widgetId: {
      type: 'string',
      description: 'The script editor by widget id (its toolbar uses this)'
    },
    path: {
      type: 'string',
      description:
        'The script editor by file path; the current one if neither is given'
    }
  }
};

/** Toolbar items and commands for script editors. */
export const editorPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyter-scriptforge:editor',
  description:
    'Adds Run, Snapshot, Publish and an interpreter picker to script editors.',
  autoStart: true,
  requires: [IScriptForgeClient, IScriptEditorTracker],
  optional: [ICommandPalette, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    client: ScriptForgeClient,
    tracker: IScriptEditorTracker,
    palette: ICommandPalette | null,
    translator: ITranslator | null
  ) => {
    const trans = (translator ?? nullTranslator).load('jupyter_scriptforge');
    const { commands } = app;
    const pickers = new Map<EditorWidget, InterpreterPicker>();

    /** The script editor a command is about. */
    const target = (args: ReadonlyPartialJSONObject) =>
      tracker.find(editorQuery(args));

    commands.addCommand(CommandIDs.runFromEditor, {
      label: trans.__('Run Script'),
      caption: trans.__('Save the script, then run it in a sandbox'),
      icon: runIcon,
      describedBy: { args: EDITOR_ARGS },
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
      describedBy: { args: EDITOR_ARGS },
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

    /** The toolbar items of each decorated script editor. */
    const decorated = new Map<EditorWidget, Widget[]>();
    const watched = new Set<EditorWidget>();

    /**
     * Give a script editor its toolbar items. The buttons name their editor by
     * widget id, so a rename leaves them working: the commands look up the
     * editor's current path and script when they run.
     */
    const decorate = (widget: EditorWidget, script: IScript) => {
      if (widget.isDisposed || decorated.has(widget)) {
        return;
      }
      const args = { widgetId: widget.id };
      const picker = new InterpreterPicker(client, script, trans, () => {
        void tracker.refresh();
      });
      pickers.set(widget, picker);
      const button = (id: string, name: string, label: string) => {
        const item = new CommandToolbarButton({ commands, id, args, label });
        item.addClass(`jp-ScriptForge-editor-${name}`);
        return item;
      };
      const publish = new CommandToolbarButton({
        commands,
        id: CommandIDs.publish,
        args,
        label: trans.__('Publish'),
        icon: publishIcon
      });
      publish.addClass('jp-ScriptForge-editor-publish');
      const items: [string, Widget][] = [
        ['scriptforge-interpreter', picker],
        [
          'scriptforge-run',
          button(CommandIDs.runFromEditor, 'run', trans.__('Run'))
        ],
        [
          'scriptforge-snapshot',
          button(CommandIDs.snapshot, 'snapshot', trans.__('Snapshot'))
        ],
        ['scriptforge-publish', publish]
      ];
      for (const [name, item] of items) {
        widget.toolbar.addItem(name, item);
      }
      decorated.set(
        widget,
        items.map(([, item]) => item)
      );
      if (!watched.has(widget)) {
        watched.add(widget);
        widget.disposed.connect(() => {
          watched.delete(widget);
          decorated.delete(widget);
          pickers.delete(widget);
        });
      }
    };

    /** Take the items off an editor whose file is no script (any more). */
    const undecorate = (widget: EditorWidget) => {
      for (const item of decorated.get(widget) ?? []) {
        item.dispose();
      }
      decorated.delete(widget);
      pickers.delete(widget);
    };
    /**
     * Follow what the tracker learns of the editor in front: a file that turns
     * out to be a script (at once, after a failed lookup, or when the server
     * adopts a new file later) gets its items; one that is no script loses them.
     */
    const onActive = (active: ActiveScript) => {
      // Toolbar buttons re-read isEnabled now that the script is known.
      for (const id of [
        CommandIDs.runFromEditor,
        CommandIDs.snapshot,
        CommandIDs.publish
      ]) {
        commands.notifyCommandChanged(id);
      }
      if (active.kind === 'script') {
        decorate(active.widget, active.script);
        // Keep the picker in step (another picker, a refresh).
        const picker = pickers.get(active.widget);
        if (picker) {
          picker.script = active.script;
        }
      } else if (active.kind === 'not-script') {
        undecorate(active.widget);
      }
    };
    tracker.changed.connect((_, active) => onActive(active));
    onActive(tracker.active);

    const category = trans.__('ScriptForge');
    for (const command of [CommandIDs.runFromEditor, CommandIDs.snapshot]) {
      palette?.addItem({ command, category });
    }
  }
};
