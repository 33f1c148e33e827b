/**
 * What the Assistant panel asks of the application: the question the prompt
 * box makes of the script in the editor, the guardrails, and keeping or running
 * reviewed code.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { InputDialog } from '@jupyterlab/apputils';
import { IEditorLanguageRegistry } from '@jupyterlab/codemirror';
import { TranslationBundle } from '@jupyterlab/translation';

import { IMe, IScriptForgeClient } from '../client';
import {
  CommandIDs,
  editorText,
  EditorWidget,
  ILanguageService,
  IScriptEditorTracker,
  IUserRights
} from '../tokens';
import { languageOf } from '../ui/language';
import { splitPath } from '../ui/scriptPath';
import { IAssistantActions, IQuestion, PromptMode, RunChoice } from './types';

/**
 * Jupyter AI 3's command that opens its model settings (registered by the
 * @jupyter-ai/jupyternaut lab extension, also in its Settings menu).
 */
const JUPYTER_AI_SETTINGS = '@jupyter-ai/jupyternaut:open-settings';

/** What the assistant's actions need from the application. */
export interface IAssistantContext {
  app: JupyterFrontEnd;
  client: IScriptForgeClient;
  tracker: IScriptEditorTracker;
  trans: TranslationBundle;
  languages: IEditorLanguageRegistry | null;
  /** The language servers' diagnostics; none without the language plugin. */
  language: ILanguageService | null;
  /** What the user may do; commands they may not are hidden. */
  rights: IUserRights | null;
}

/** Whether to run what was just saved: an override is asked for now, if at all. */
async function shouldRun(run: RunChoice): Promise<boolean> {
  return typeof run === 'function' ? run() : run;
}

/** The selected text of a script editor, or null when nothing is selected. */
function selectionOf(widget: EditorWidget): string | null {
  const editor = widget.content.editor;
  const { start, end } = editor.getSelection();
  const from = editor.getOffsetAt(start);
  const to = editor.getOffsetAt(end);
  return from === to
    ? null
    : editor.model.sharedModel
        .getSource()
        .slice(Math.min(from, to), Math.max(from, to));
}

/** The panel's actions on this application. */
export function assistantActions(ctx: IAssistantContext): IAssistantActions {
  const { app, client, tracker, trans, languages, language } = ctx;
  const { commands } = app;
  const activeScript = () =>
    tracker.active.kind === 'script' ? tracker.active : null;

  /** The question the prompt box's text makes in `mode`, or why it cannot be asked. */
  const question = async (
    mode: PromptMode,
    prompt: string
  ): Promise<IQuestion | string> => {
    const active = activeScript();
    if (mode === 'generate') {
      return {
        request: {
          action: 'generate',
          prompt,
          interpreter: active?.script.interpreter ?? null
        },
        title: prompt,
        target: null
      };
    }
    if (active === null) {
      return trans.__('Open a script in the editor first.');
    }
    const { widget, script } = active;
    const content = editorText(widget);
    if (mode === 'edit') {
      return {
        request: {
          action: 'edit',
          script_id: script.id,
          instruction: prompt,
          content
        },
        title: trans.__('Edit %1: %2', script.name, prompt),
        target: {
          scriptId: script.id,
          scriptName: script.name,
          original: content,
          baseVersionId: script.head_version_id
        }
      };
    }
    const selection = selectionOf(widget);
    return {
      request: {
        action: 'explain',
        content,
        ...(selection ? { selection } : {}),
        ...(prompt ? { question: prompt } : {})
      },
      title: selection
        ? trans.__('Explain the selection in %1', script.name)
        : trans.__('Explain %1', script.name),
      target: null
    };
  };

  // Who the user is does not change while the page lives: asked once, when needed.
  let me: Promise<IMe> | undefined;
  return {
    question,
    analyze: (code, original) => client.guardrails.analyze(code, original),
    diagnose: async (code, interpreter) =>
      language ? language.diagnostics(code, interpreter) : null,
    override: async code => {
      const answer = await InputDialog.getText({
        title: trans.__('Run Code the Guardrails Block'),
        label: trans.__('Why is it safe to run? (recorded in the audit log)'),
        okLabel: trans.__('Override')
      });
      if (!answer.button.accept || !answer.value?.trim()) {
        return false;
      }
      await client.guardrails.override(code, answer.value.trim());
      return true;
    },
    isAdmin: async () => {
      // A failed ask is asked again next time, not remembered as "no".
      me ??= client.users.me().catch(reason => {
        me = undefined;
        throw reason;
      });
      return (await me).admin;
    },
    apply: async (target, content, run) => {
      if (target.baseVersionId === null) {
        throw new Error(trans.__('%1 has no version yet.', target.scriptName));
      }
      const version = await client.assistant.acceptEdit({
        script_id: target.scriptId,
        content,
        base_version_id: target.baseVersionId,
        message: trans.__('Assistant edit')
      });
      // The editor shows the new head once the server has written it.
      await tracker.refresh();
      if (await shouldRun(run)) {
        await commands.execute(CommandIDs.runScript, {
          id: target.scriptId,
          versionId: version.id
        });
        return trans.__('Recorded as v%1 and started.', version.seq);
      }
      return version.analysis?.held
        ? trans.__(
            'Recorded as v%1. Held: ScriptForge will not run it until an admin overrides.',
            version.seq
          )
        : trans.__('Recorded as v%1.', version.seq);
    },
    create: async (code, run) => {
      const answer = await InputDialog.getText({
        title: trans.__('New Script'),
        label: trans.__('Name, optionally in folders'),
        placeholder: 'folder/name',
        okLabel: trans.__('Create')
      });
      if (!answer.button.accept || !answer.value?.trim()) {
        return null;
      }
      const script = await client.assistant.createScript({
        ...splitPath(answer.value),
        content: code,
        interpreter: activeScript()?.script.interpreter ?? null
      });
      await commands.execute('docmanager:open', { path: script.path });
      if (await shouldRun(run)) {
        await commands.execute(CommandIDs.runScript, {
          id: script.id,
          source: 'head'
        });
        return trans.__('Created %1 and started it.', script.name);
      }
      return script.analysis?.held
        ? trans.__(
            'Created %1. Held: ScriptForge will not run it until an admin overrides.',
            script.name
          )
        : trans.__('Created %1.', script.name);
    },
    language: async () => {
      const active = activeScript();
      return active ? languageOf(languages, active.script) : null;
    },
    modelSettings: () =>
      commands.hasCommand(JUPYTER_AI_SETTINGS)
        ? async () => {
            await commands.execute(JUPYTER_AI_SETTINGS);
          }
        : null
  };
}
