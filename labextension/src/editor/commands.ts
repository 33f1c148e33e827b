/**
 * The commands of a script editor: Run and Snapshot (Publish is the Version
 * feature's). They take the editor by `widgetId` or `path`.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { runIcon } from '@jupyterlab/ui-components';
import { ReadonlyPartialJSONObject } from '@lumino/coreutils';

import { IScriptForgeClient } from '../client';
import {
  CommandIDs,
  editorQuery,
  IScriptEditorTracker,
  IUserRights
} from '../tokens';
import { addCommands } from '../ui/commands';
import { tryOrShowError } from '../ui/errors';
import { snapshotIcon } from '../ui/icons';
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

/** Add Run and Snapshot, in the palette too. */
export function addEditorCommands(
  app: JupyterFrontEnd,
  palette: ICommandPalette | null,
  trans: TranslationBundle,
  client: IScriptForgeClient,
  tracker: IScriptEditorTracker,
  rights: IUserRights | null
): void {
  /** The script editor a command is about. */
  const target = (args: ReadonlyPartialJSONObject) =>
    tracker.find(editorQuery(args));

  addCommands(
    app,
    palette,
    trans,
    {
      [CommandIDs.runFromEditor]: {
        needs: 'run',
        label: trans.__('Run Script'),
        caption: trans.__('Save the script, then run it in a sandbox'),
        icon: runIcon,
        describedBy: { args: EDITOR_ARGS },
        isEnabled: args => target(args) !== null,
        palette: true,
        execute: async args => {
          const editor = target(args);
          if (!editor) {
            return;
          }
          await tryOrShowError(
            trans.__('Cannot run %1', editor.widget.context.localPath),
            async () => {
              await editor.widget.context.save();
              await app.commands.execute(CommandIDs.runScript, {
                id: editor.script.id,
                source: 'working_copy'
              });
            }
          );
        }
      },
      [CommandIDs.snapshot]: {
        needs: 'write',
        label: trans.__('Snapshot…'),
        caption: trans.__(
          'Record the editor’s text as a version, with a message'
        ),
        icon: snapshotIcon,
        describedBy: { args: EDITOR_ARGS },
        isEnabled: args => target(args) !== null,
        palette: true,
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
      }
    },
    rights
  );
}
