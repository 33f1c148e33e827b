/**
 * The plugin of language intelligence: `ILanguageService` for ScriptForge's
 * panels, the language-server indicator in each script editor's toolbar, and
 * the read-only `sources:` drive that go-to-definition opens files outside the
 * root from.
 * The editor's completion, hover and diagnostics come from jupyterlab-lsp,
 * served by ScriptForge's router (see docs/ARCHITECTURE.md).
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { IEditorTracker } from '@jupyterlab/fileeditor';
import { ITranslator } from '@jupyterlab/translation';

import {
  EditorWidget,
  ILanguageService,
  IScriptEditorTracker,
  IScriptForgeClient
} from '../tokens';
import { bundleOf } from '../ui/translation';
import { LanguageService } from './service';
import { sourceLabel } from './sourceLabel';
import { SOURCES_DRIVE, SourcesDrive } from './sourcesDrive';
import { LanguageStatusIndicator } from './statusIndicator';

/** The item's name in the editor toolbar, after the interpreter picker. */
const ITEM = 'scriptforge-language';

export const languagePlugin: JupyterFrontEndPlugin<ILanguageService> = {
  id: 'jupyter-scriptforge:language',
  description:
    "Language intelligence from each interpreter's language server, and its status in script editors.",
  autoStart: true,
  requires: [IScriptForgeClient, IScriptEditorTracker],
  optional: [ITranslator, IEditorTracker],
  provides: ILanguageService,
  activate: (
    app: JupyterFrontEnd,
    client: IScriptForgeClient,
    tracker: IScriptEditorTracker,
    translator: ITranslator | null,
    editors: IEditorTracker | null
  ) => {
    const trans = bundleOf(translator);
    const language = new LanguageService(client);
    const contents = app.serviceManager.contents;
    contents.addDrive(
      new SourcesDrive(
        client.language,
        app.serviceManager.serverSettings,
        trans
      )
    );
    // A source of the interpreter is for reading: its editor takes no typing,
    // and its toolbar says whose file it is and where.
    editors?.widgetAdded.connect((_, widget) => {
      const path = widget.context.path;
      if (contents.driveName(path) === SOURCES_DRIVE) {
        widget.content.editor.setOption('readOnly', true);
        widget.toolbar.addItem(
          'scriptforge-source',
          sourceLabel(contents.localPath(path), trans)
        );
      }
    });
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
