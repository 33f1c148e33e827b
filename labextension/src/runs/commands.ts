/**
 * The commands of runs: run a script or a group, show, cancel and re-run a run,
 * open the Runs panel. "Run" is also in the Scripts sidebar's context menu.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { ICommandPalette, showErrorMessage } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { ReadonlyPartialJSONObject } from '@lumino/coreutils';

import {
  IRun,
  IRunRequest,
  IScriptForgeClient,
  IScriptRunRequest
} from '../client';
import { CommandIDs, IScriptsPanel, IUserRights } from '../tokens';
import { addCommands, numberArg, scriptIdArg } from '../ui/commands';
import { tryOrShowError } from '../ui/errors';
import { rerunRequest } from './rerun';
import { IRunsSettings } from './settings';

/** What the commands need from the plugin. */
export interface IRunsCommandContext {
  app: JupyterFrontEnd;
  client: IScriptForgeClient;
  trans: TranslationBundle;
  settings: () => IRunsSettings;
  /** The Scripts sidebar, for the script right-clicked there. */
  scripts: IScriptsPanel | null;
  /** What the user may do; commands they may not are hidden. */
  rights: IUserRights | null;
  /** Open (or reveal) the Runs panel and show a run; `fresh` puts it on top. */
  showRun: (runId: number, fresh: boolean) => void;
  openRuns: () => void;
  /** The run selected in the Runs panel, if the panel is open. */
  selectedRun: () => number | null;
}

const SCRIPT_ARGS = {
  type: 'object',
  properties: {
    id: { type: 'number', description: 'The script id' },
    interpreter: { type: 'string', description: 'Run on this interpreter' },
    source: {
      type: 'string',
      enum: ['published', 'head', 'working_copy'],
      description:
        'Which content: the published version (default), the newest version, or the file in the editor'
    },
    versionId: { type: 'number', description: 'Run this version' }
  }
};
const RUN_ARGS = numberArg(
  'runId',
  'The run; the one selected in the Runs panel if omitted'
);

/** Add the commands of runs. */
export function addRunCommands(
  context: IRunsCommandContext,
  palette: ICommandPalette | null
): void {
  const { app, client, trans, scripts } = context;

  const scriptId = (args: ReadonlyPartialJSONObject): number | null =>
    scriptIdArg(scripts, args);
  const runId = (args: ReadonlyPartialJSONObject): number | null =>
    typeof args.runId === 'number' ? args.runId : context.selectedRun();

  /** Start a run and show it; failures are shown, not thrown. */
  const start = async (request: IRunRequest): Promise<IRun | null> => {
    const run = await tryOrShowError(trans.__('Cannot start the run'), () =>
      client.runs.start(request)
    );
    if (run === undefined) {
      return null;
    }
    context.showRun(run.id, true);
    return run;
  };

  /** The request that runs a script as the command's args say. */
  const scriptRequest = async (
    id: number,
    args: ReadonlyPartialJSONObject
  ): Promise<IScriptRunRequest | null> => {
    const request: IScriptRunRequest = { script_id: id };
    if (typeof args.versionId === 'number') {
      request.version_id = args.versionId;
    } else if (
      args.source === 'published' ||
      args.source === 'head' ||
      args.source === 'working_copy'
    ) {
      request.source = args.source;
    } else {
      // A script never published has nothing to run by default: run its newest version.
      const script = await tryOrShowError(
        trans.__('Cannot run the script'),
        () => client.scripts.get(id)
      );
      if (script === undefined) {
        return null;
      }
      if (script.published_version_id === null) {
        request.source = 'head';
      }
    }
    if (typeof args.interpreter === 'string' && args.interpreter) {
      request.interpreter = args.interpreter;
    }
    const runner = context.settings().runner;
    return runner ? { ...request, runner } : request;
  };

  /** Run a past run again, or say why there is nothing to run. */
  const rerun = async (id: number): Promise<IRun | null> => {
    const run = await tryOrShowError(trans.__('Cannot re-run'), () =>
      client.runs.get(id)
    );
    if (run === undefined) {
      return null;
    }
    const request = rerunRequest(run);
    if (request === null) {
      await showErrorMessage(
        trans.__('Cannot re-run'),
        run.kind === 'group'
          ? trans.__(
              'The group of run %1 was deleted: there is nothing to run again.',
              run.id
            )
          : trans.__(
              'Run %1 does not say which script it ran: there is nothing to run again.',
              run.id
            )
      );
      return null;
    }
    return start(request);
  };

  addCommands(
    app,
    palette,
    trans,
    {
      [CommandIDs.runScript]: {
        needs: 'run',
        label: trans.__('Run'),
        caption: trans.__('Run the script and follow its output'),
        describedBy: { args: SCRIPT_ARGS },
        // After "Open" in the Scripts sidebar's menu, before renaming and the like.
        menu: scripts
          ? { selector: scripts.scriptSelector, rank: 0.5 }
          : undefined,
        execute: async args => {
          const id = scriptId(args);
          if (id === null) {
            return null;
          }
          const request = await scriptRequest(id, args);
          return request === null ? null : start(request);
        }
      },
      [CommandIDs.showRun]: {
        label: trans.__('Show Run'),
        describedBy: RUN_ARGS,
        execute: args => {
          const id = runId(args);
          if (id !== null) {
            context.showRun(id, false);
          }
        }
      },
      [CommandIDs.openRuns]: {
        label: trans.__('Open Runs Panel'),
        caption: trans.__('Show your runs and their output'),
        palette: true,
        execute: () => context.openRuns()
      },
      [CommandIDs.cancelRun]: {
        needs: 'run',
        label: trans.__('Cancel Run'),
        caption: trans.__('Stop the run (a group run stops all its items)'),
        describedBy: RUN_ARGS,
        isEnabled: args => runId(args) !== null,
        palette: true,
        execute: async args => {
          const id = runId(args);
          if (id === null) {
            return null;
          }
          const cancelled = await tryOrShowError(
            trans.__('Cannot cancel the run'),
            () => client.runs.cancel(id)
          );
          return cancelled ?? null;
        }
      },
      [CommandIDs.rerun]: {
        needs: 'run',
        label: trans.__('Re-run'),
        caption: trans.__(
          'Run again: a script run with the same version, interpreter and arguments; a group run with the group as it is now'
        ),
        describedBy: RUN_ARGS,
        isEnabled: args => runId(args) !== null,
        palette: true,
        execute: args => {
          const id = runId(args);
          return id === null ? null : rerun(id);
        }
      },
      [CommandIDs.runGroup]: {
        needs: 'run',
        label: trans.__('Run Group'),
        describedBy: numberArg('groupId', 'The group id'),
        execute: args =>
          typeof args.groupId === 'number'
            ? start({ group_id: args.groupId })
            : null
      }
    },
    context.rights
  );
}
