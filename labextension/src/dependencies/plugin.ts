/**
 * The plugin of declared dependencies (PEP 723): in each script editor's
 * toolbar, after the language-server indicator, where the script's packages
 * stand (prepared as soon as the script is opened or saved, for users who may
 * run it), and the "Show Script Dependencies" command.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { DocumentRegistry } from '@jupyterlab/docregistry';
import { ITranslator, TranslationBundle } from '@jupyterlab/translation';

import { IScript } from '../client';
import {
  CommandIDs,
  EditorWidget,
  editorQuery,
  IScriptEditorTracker,
  IScriptForgeClient,
  IUserRights
} from '../tokens';
import { addCommands } from '../ui/commands';
import { bundleOf } from '../ui/translation';
import { showDependencies } from './dialog';
import { DependencyIndicator } from './indicator';
import { DependencyStatus } from './status';

/** The item's name in the editor toolbar. */
const ITEM = 'scriptforge-dependencies';
/** The items it follows, the first one there: the language server's, the interpreter picker. */
const AFTER = ['scriptforge-language', 'scriptforge-interpreter'];

const EDITOR_ARGS = {
  type: 'object',
  properties: {
    widgetId: {
      type: 'string',
      description: 'The script editor by widget id'
    },
    path: {
      type: 'string',
      description:
        'The script editor by file path; the current one if neither is given'
    }
  }
};

export const dependenciesPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyter-scriptforge:dependencies',
  description:
    "Shows in script editors where the script's declared dependencies (PEP 723) stand, and prepares them.",
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
    const mayRun = async () => {
      await rights?.ready;
      return rights?.may('run') ?? true;
    };
    const editors = new Map<EditorWidget, EditorDependencies>();

    const open = (widget: EditorWidget, status: DependencyStatus) =>
      showDependencies(
        status,
        widget.context.localPath,
        trans,
        rights?.may('run') ?? true
      );

    const attach = (widget: EditorWidget, script: IScript) => {
      const known = editors.get(widget);
      if (known) {
        known.status.update(script);
        return known;
      }
      const added = new EditorDependencies(widget, script, {
        client,
        mayRun,
        trans,
        open: status => void open(widget, status)
      });
      editors.set(widget, added);
      widget.disposed.connect(() => detach(widget));
      return added;
    };
    const detach = (widget: EditorWidget) => {
      editors.get(widget)?.dispose();
      editors.delete(widget);
    };

    tracker.changed.connect((_, active) => {
      if (active.kind === 'script') {
        attach(active.widget, active.script);
      } else if (active.kind === 'not-script') {
        detach(active.widget);
      }
    });
    const active = tracker.active;
    if (active.kind === 'script') {
      attach(active.widget, active.script);
    }

    addCommands(app, palette, trans, {
      [CommandIDs.showDependencies]: {
        label: trans.__('Show Script Dependencies'),
        caption: trans.__(
          'What the script declares it needs (PEP 723), its pins and their state'
        ),
        describedBy: { args: EDITOR_ARGS },
        isEnabled: args => tracker.find(editorQuery(args)) !== null,
        palette: true,
        execute: async args => {
          const found = tracker.find(editorQuery(args));
          if (found) {
            const { status } = attach(found.widget, found.script);
            await open(found.widget, status);
          }
        }
      }
    });
  }
};

/** One script editor's dependency state and its indicator in the toolbar. */
class EditorDependencies {
  constructor(
    private readonly _widget: EditorWidget,
    script: IScript,
    options: {
      client: IScriptForgeClient;
      mayRun: () => Promise<boolean>;
      trans: TranslationBundle;
      open: (status: DependencyStatus) => void;
    }
  ) {
    let indicator: DependencyIndicator | null = null;
    this.status = new DependencyStatus({
      client: options.client.scripts,
      script,
      mayRun: options.mayRun,
      isVisible: () => indicator?.isVisible ?? false
    });
    indicator = new DependencyIndicator(this.status, options.trans, () =>
      options.open(this.status)
    );
    this._indicator = indicator;
    const toolbar = _widget.toolbar;
    if (!AFTER.some(name => toolbar.insertAfter(name, ITEM, indicator))) {
      toolbar.addItem(ITEM, indicator);
    }
    _widget.context.saveState.connect(this._onSave, this);
    void this.status.check();
  }

  readonly status: DependencyStatus;

  dispose(): void {
    this._widget.context.saveState.disconnect(this._onSave, this);
    this._indicator.dispose();
    this.status.dispose();
  }

  private _onSave(_: unknown, state: DocumentRegistry.SaveState): void {
    if (state === 'completed') {
      this.status.saved();
    }
  }

  private readonly _indicator: DependencyIndicator;
}
