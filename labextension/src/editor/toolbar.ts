/**
 * The toolbar items of script editors: the interpreter picker, Run, Snapshot
 * and Publish. A file that turns out to be a script gets them; one that is no
 * script (any more) loses them; other files never have them.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { CommandToolbarButton } from '@jupyterlab/ui-components';
import { CommandRegistry } from '@lumino/commands';
import { Widget } from '@lumino/widgets';

import { IScript, IScriptForgeClient } from '../client';
import {
  ActiveScript,
  CommandIDs,
  EditorWidget,
  IScriptEditorTracker
} from '../tokens';
import { publishIcon } from '../ui/icons';
import { InterpreterPicker } from './interpreterPicker';

/** The commands whose toolbar buttons depend on the editor being a script's. */
const EDITOR_COMMANDS = [
  CommandIDs.runFromEditor,
  CommandIDs.snapshot,
  CommandIDs.publish
];

/** Keeps the toolbars of script editors in step with what the tracker learns. */
export class ScriptEditorToolbars {
  constructor(
    private readonly _commands: CommandRegistry,
    private readonly _client: IScriptForgeClient,
    private readonly _tracker: IScriptEditorTracker,
    private readonly _trans: TranslationBundle
  ) {
    _tracker.changed.connect((_, active) => this._onActive(active));
    this._onActive(_tracker.active);
  }

  /**
   * Follow what the tracker learns of the editor in front: a file that turns
   * out to be a script (at once, after a failed lookup, or when the server
   * adopts a new file later) gets its items; one that is no script loses them.
   */
  private _onActive(active: ActiveScript): void {
    // Toolbar buttons re-read isEnabled now that the script is known.
    for (const id of EDITOR_COMMANDS) {
      this._commands.notifyCommandChanged(id);
    }
    if (active.kind === 'script') {
      this._decorate(active.widget, active.script);
      // Keep the picker in step (another picker, a refresh).
      const picker = this._pickers.get(active.widget);
      if (picker) {
        picker.script = active.script;
      }
    } else if (active.kind === 'not-script') {
      this._undecorate(active.widget);
    }
  }

  /**
   * Give a script editor its toolbar items. The buttons name their editor by
   * widget id, so a rename leaves them working: the commands look up the
   * editor's current path and script when they run.
   */
  private _decorate(widget: EditorWidget, script: IScript): void {
    if (widget.isDisposed || this._decorated.has(widget)) {
      return;
    }
    const commands = this._commands;
    const trans = this._trans;
    const args = { widgetId: widget.id };
    const picker = new InterpreterPicker(this._client, script, trans, () => {
      void this._tracker.refresh();
    });
    this._pickers.set(widget, picker);
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
    this._decorated.set(
      widget,
      items.map(([, item]) => item)
    );
    if (!this._watched.has(widget)) {
      this._watched.add(widget);
      widget.disposed.connect(() => {
        this._watched.delete(widget);
        this._decorated.delete(widget);
        this._pickers.delete(widget);
      });
    }
  }

  /** Take the items off an editor whose file is no script (any more). */
  private _undecorate(widget: EditorWidget): void {
    for (const item of this._decorated.get(widget) ?? []) {
      item.dispose();
    }
    this._decorated.delete(widget);
    this._pickers.delete(widget);
  }

  /** The toolbar items of each decorated script editor. */
  private readonly _decorated = new Map<EditorWidget, Widget[]>();
  private readonly _pickers = new Map<EditorWidget, InterpreterPicker>();
  private readonly _watched = new Set<EditorWidget>();
}
