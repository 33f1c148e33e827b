/**
 * The Assistant plugin: its panel by the editor, and the commands that ask it
 * (from the palette, the editor and a failed run).
 */
import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { IEditorLanguageRegistry } from '@jupyterlab/codemirror';
import { ITranslator } from '@jupyterlab/translation';

import {
  ILanguageService,
  IScriptEditorTracker,
  IScriptForgeClient,
  IUserRights
} from '../tokens';
import { assistantIcon } from '../ui/icons';
import { bundleOf } from '../ui/translation';
import { assistantActions, IAssistantContext } from './actions';
import { addAssistantCommands } from './commands';
import { AssistantPanel } from './panel';
import { AssistantSession } from './session';

const PANEL_ID = 'jp-scriptforge-assistant';

export const assistantPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyter-scriptforge:assistant',
  description:
    'Adds the Assistant panel: write, edit, explain and fix scripts with the model configured in Jupyter AI.',
  autoStart: true,
  requires: [IScriptForgeClient, IScriptEditorTracker],
  optional: [
    ICommandPalette,
    ILayoutRestorer,
    IEditorLanguageRegistry,
    ILanguageService,
    ITranslator,
    IUserRights
  ],
  activate: (
    app: JupyterFrontEnd,
    client: IScriptForgeClient,
    tracker: IScriptEditorTracker,
    palette: ICommandPalette | null,
    restorer: ILayoutRestorer | null,
    languages: IEditorLanguageRegistry | null,
    language: ILanguageService | null,
    translator: ITranslator | null,
    rights: IUserRights | null
  ) => {
    const trans = bundleOf(translator);
    const ctx: IAssistantContext = {
      app,
      client,
      tracker,
      trans,
      languages,
      language,
      rights
    };
    const actions = assistantActions(ctx);
    const session = new AssistantSession(client.assistant, trans);
    const panel = new AssistantPanel(session, actions, trans);
    panel.id = PANEL_ID;
    panel.title.icon = assistantIcon;
    panel.title.caption = trans.__('Assistant');
    app.shell.add(panel, 'right', { rank: 650, type: 'Assistant' });
    restorer?.add(panel, 'scriptforge-assistant');
    const show = () => app.shell.activateById(PANEL_ID);
    addAssistantCommands(ctx, palette, panel, actions, show);
  }
};
