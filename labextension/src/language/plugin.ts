/**
 * The plugin of language intelligence: `ILanguageService` for ScriptForge's
 * panels, and the language-server indicator in each script editor's toolbar.
 * The editor's completion, hover and diagnostics come from jupyterlab-lsp,
 * served by ScriptForge's router (see docs/ARCHITECTURE.md).
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ITranslator } from '@jupyterlab/translation';

import {
  EditorWidget,
  ILanguageService,
  IScriptEditorTracker,
  IScriptForgeClient
} from '../tokens';
import { bundleOf } from '../ui/translation';
import { LanguageService } from './service';
import { LanguageStatusIndicator } from './statusIndicator';

/** The item's name in the editor toolbar, after the interpreter picker. */
const ITEM = 'scriptforge-language';

export const languagePlugin: JupyterFrontEndPlugin<ILanguageService> = {
  id: 'jupyter-scriptforge:language',
  description:
    "Language intelligence from each interpreter's language server, and its status in script editors.",
  autoStart: true,
  requires: [IScriptForgeClient, IScriptEditorTracker],
  optional: [ITranslator],
  provides: ILanguageService,
  activate: (
    app: JupyterFrontEnd,
    client: IScriptForgeClient,
    tracker: IScriptEditorTracker,
    translator: ITranslator | null
  ) => {
    const trans = bundleOf(translator);
    const language = new LanguageService(client);
    const indicators = new Map<EditorWidget, LanguageStatusIndicator>();
    tracker.changed.connect((_, active) => {
      if (active.kind === 'script') {
        const known = indicators.get(active.widget);
        if (known) {
          void known.refresh(); // e.g. another interpreter was picked
          return;
        }
        const widget = active.widget;
        const indicator = new LanguageStatusIndicator(
          language,
          () => widget.context.localPath,
          trans
        );
        if (
          !widget.toolbar.insertAfter(
            'scriptforge-interpreter',
            ITEM,
            indicator
          )
        ) {
          widget.toolbar.addItem(ITEM, indicator);
        }
        indicators.set(widget, indicator);
        widget.disposed.connect(() => indicators.delete(widget));
      } else if (active.kind === 'not-script') {
        indicators.get(active.widget)?.dispose();
        indicators.delete(active.widget);
      }
    });
    return language;
  }
};
