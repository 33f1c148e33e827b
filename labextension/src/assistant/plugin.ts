/**
 * The Assistant plugin: its panel by the editor, and the commands that ask it
 * (from the palette, the editor and a failed run).
 */
import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, InputDialog } from '@jupyterlab/apputils';
import { IEditorLanguageRegistry } from '@jupyterlab/codemirror';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import { splitPath } from '../catalogCommands';
import { IMe, ScriptForgeClient } from '../client';
import { assistantIcon } from '../icons';
import { CommandIDs, IScriptForgeClient } from '../tokens';
import { languageOf } from '../versions/actions';
import { editorText } from '../versions/editorSync';
import { EditorWidget, IScriptEditorTracker } from '../versions/tracker';
import { AssistantPanel, IQuestion, PromptMode, RunChoice } from './panel';

const PANEL_ID = 'jp-scriptforge-assistant';
/**
 * Jupyter AI 3's command that opens its model settings (registered by the
 * @jupyter-ai/jupyternaut lab extension, also in its Settings menu).
 */
const JUPYTER_AI_SETTINGS = '@jupyter-ai/jupyternaut:open-settings';

/** The selected text of a script editor, or null when nothing is selected. */
/** Whether to run what was just saved: an override is asked for now, if at all. */
async function shouldRun(run: RunChoice): Promise<boolean> {
  return typeof run === 'function' ? run() : run;
}

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
    ITranslator
  ],
  activate: (
    app: JupyterFrontEnd,
    client: ScriptForgeClient,
    tracker: IScriptEditorTracker,
    palette: ICommandPalette | null,
    restorer: ILayoutRestorer | null,
    languages: IEditorLanguageRegistry | null,
    translator: ITranslator | null
  ) => {
    const trans = (translator ?? nullTranslator).load('jupyter_scriptforge');
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
    const panel = new AssistantPanel(
      client,
      {
        question,
        analyze: (code, original) => client.analyze(code, original),
        override: async code => {
          const answer = await InputDialog.getText({
            title: trans.__('Run Code the Guardrails Block'),
            label: trans.__(
              'Why is it safe to run? (recorded in the audit log)'
            ),
            okLabel: trans.__('Override')
          });
          if (!answer.button.accept || !answer.value?.trim()) {
            return false;
          }
          await client.overrideGuardrails(code, answer.value.trim());
          return true;
        },
        isAdmin: async () => {
          // A failed ask is asked again next time, not remembered as "no".
          me ??= client.me().catch(reason => {
            me = undefined;
            throw reason;
          });
          return (await me).admin;
        },
        apply: async (target, content, run) => {
          if (target.baseVersionId === null) {
            throw new Error(
              trans.__('%1 has no version yet.', target.scriptName)
            );
          }
          const version = await client.acceptAssistantEdit({
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
          const script = await client.createAssistantScript({
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
      },
      trans
    );
    panel.id = PANEL_ID;
    panel.title.icon = assistantIcon;
    panel.title.caption = trans.__('Assistant');
    app.shell.add(panel, 'right', { rank: 650, type: 'Assistant' });
    restorer?.add(panel, 'scriptforge-assistant');
    const show = () => app.shell.activateById(PANEL_ID);

    commands.addCommand(CommandIDs.openAssistant, {
      label: trans.__('Open the Assistant'),
      caption: trans.__('Ask the assistant to write, edit or explain a script'),
      execute: show
    });
    commands.addCommand(CommandIDs.explainSelection, {
      label: trans.__('Explain with the Assistant'),
      caption: trans.__('Explain the selection, or the whole script'),
      isEnabled: () => activeScript() !== null,
      execute: async () => {
        const asked = await question('explain', '');
        if (typeof asked !== 'string') {
          show();
          panel.ask(asked);
        }
      }
    });
    commands.addCommand(CommandIDs.fixRun, {
      label: trans.__('Fix with Assistant'),
      caption: trans.__(
        'Propose a fix of a failed run from its traceback, script version and interpreter'
      ),
      describedBy: {
        args: {
          type: 'object',
          properties: { runId: { type: 'number', description: 'The run' } }
        }
      },
      execute: async args => {
        if (typeof args.runId !== 'number') {
          return;
        }
        const run = await client.getRun(args.runId);
        if (run.script_id === null || run.version_id === null) {
          return;
        }
        const [script, version] = await Promise.all([
          client.getScript(run.script_id),
          client.getVersion(run.version_id)
        ]);
        show();
        panel.ask({
          request: { action: 'fix', run_id: run.id },
          title: trans.__('Fix run #%1 of %2', run.id, script.name),
          target: {
            scriptId: script.id,
            scriptName: script.name,
            original: version.content,
            // The fix is of the version that ran: if the script moved on since, the
            // accept is a 409 instead of silently undoing the newer work.
            baseVersionId: version.id
          }
        });
      }
    });

    const category = trans.__('ScriptForge');
    for (const command of [
      CommandIDs.openAssistant,
      CommandIDs.explainSelection
    ]) {
      palette?.addItem({ command, category });
    }
  }
};
