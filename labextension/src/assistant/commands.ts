/**
 * The commands that ask the assistant: open its panel, explain the selection
 * of the script editor, fix a failed run.
 */
import { ICommandPalette } from '@jupyterlab/apputils';

import { CommandIDs } from '../tokens';
import { addCommands, numberArg } from '../ui/commands';
import { IAssistantContext } from './actions';
import { AssistantPanel } from './panel';
import { IAssistantActions } from './types';

/** Add the assistant's commands; `show` brings its panel to the front. */
export function addAssistantCommands(
  ctx: IAssistantContext,
  palette: ICommandPalette | null,
  panel: AssistantPanel,
  actions: IAssistantActions,
  show: () => void
): void {
  const { app, client, tracker, trans } = ctx;
  addCommands(
    app,
    palette,
    trans,
    {
      [CommandIDs.openAssistant]: {
        needs: 'assistant',
        label: trans.__('Open the Assistant'),
        caption: trans.__(
          'Ask the assistant to write, edit or explain a script'
        ),
        palette: true,
        execute: show
      },
      [CommandIDs.explainSelection]: {
        needs: 'assistant',
        label: trans.__('Explain with the Assistant'),
        caption: trans.__('Explain the selection, or the whole script'),
        isEnabled: () => tracker.active.kind === 'script',
        palette: true,
        execute: async () => {
          const asked = await actions.question('explain', '');
          if (typeof asked !== 'string') {
            show();
            panel.ask(asked);
          }
        }
      },
      [CommandIDs.fixRun]: {
        needs: 'assistant',
        label: trans.__('Fix with Assistant'),
        caption: trans.__(
          'Propose a fix of a failed run from its traceback, script version and interpreter'
        ),
        describedBy: numberArg('runId', 'The run'),
        execute: async args => {
          if (typeof args.runId !== 'number') {
            return;
          }
          const run = await client.runs.get(args.runId);
          if (run.script_id === null || run.version_id === null) {
            return;
          }
          const [script, version] = await Promise.all([
            client.scripts.get(run.script_id),
            client.versions.get(run.version_id)
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
      }
    },
    ctx.rights
  );
}
