/**
 * The commands of runs: run a script or a group, show, cancel and re-run a run,
 * open the Runs panel. "Run" is also in the Scripts sidebar's context menu; a
 * version that declares parameters asks for their values in the run form first.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { ICommandPalette, showErrorMessage } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { ReadonlyPartialJSONObject } from '@lumino/coreutils';

import {
  hasParameters,
  IParameterError,
  IRun,
  IRunRequest,
  IScript,
  IScriptForgeClient,
  IScriptParameters,
  IScriptRunRequest,
  parameterErrorOf,
  ParameterValues
} from '../client';
import {
  CommandIDs,
  IParameterForms,
  IScriptsPanel,
  IUserRights
} from '../tokens';
import { addCommands, numberArg, scriptIdArg } from '../ui/commands';
import { tryOrShowError } from '../ui/errors';
import { whileSlow } from '../ui/progress';
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
  /** The run form; without it, scripts run at once with no values. */
  forms: IParameterForms | null;
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
    versionId: { type: 'number', description: 'Run this version' },
    parameters: {
      type: 'object',
      description:
        'Values of the parameters the version declares: run with these, without the run form'
    }
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

  /**
   * The request that runs a script as the command's args say, and the script
   * if it had to be fetched for that.
   */
  const scriptRequest = async (
    id: number,
    args: ReadonlyPartialJSONObject
  ): Promise<{ request: IScriptRunRequest; script: IScript | null } | null> => {
    const request: IScriptRunRequest = { script_id: id };
    let script: IScript | null = null;
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
      const found = await tryOrShowError(
        trans.__('Cannot run the script'),
        () => client.scripts.get(id)
      );
      if (found === undefined) {
        return null;
      }
      script = found;
      if (script.published_version_id === null) {
        request.source = 'head';
      }
    }
    if (typeof args.interpreter === 'string' && args.interpreter) {
      request.interpreter = args.interpreter;
    }
    const runner = context.settings().runner;
    return { request: runner ? { ...request, runner } : request, script };
  };

  /**
   * The script and the parameters of the version `request` runs: the version it
   * names; the head for the newest version; the saved file for the editor's;
   * else the published version.
   */
  const parametersOf = async (
    request: IScriptRunRequest,
    known: IScript | null
  ): Promise<{ script: IScript; parameters: IScriptParameters }> => {
    const id = request.script_id;
    const script = known ?? (await client.scripts.get(id));
    // The editor's file as saved now: the version its save makes may not be
    // recorded yet.
    const versionId =
      request.version_id ??
      (request.source === 'working_copy'
        ? 'working_copy'
        : request.source === 'head'
          ? null
          : script.published_version_id);
    const parameters = await client.scripts.parameters(id, versionId);
    return { script, parameters };
  };

  /**
   * Run a script, asking first for the values of the parameters its version
   * declares; a value the server refuses opens the form again at that field.
   */
  const runScript = async (
    request: IScriptRunRequest,
    known: IScript | null
  ): Promise<IRun | null> => {
    const forms = context.forms;
    if (forms === null) {
      return start(request);
    }
    const found = await tryOrShowError(
      trans.__('Cannot read the parameters of the script'),
      () =>
        whileSlow(
          trans.__('Reading the parameters of the script…'),
          parametersOf(request, known)
        )
    );
    if (found === undefined) {
      return null;
    }
    const { script, parameters } = found;
    if (!hasParameters(parameters)) {
      return start(request);
    }
    // The version the form was made for is the version that runs, unless the
    // editor's file runs (recorded as a version when the run starts).
    const pinned: IScriptRunRequest = { ...request };
    if (request.source !== 'working_copy') {
      delete pinned.source; // a version, or a source: not both
      pinned.version_id = parameters.version_id;
    }
    const name = script.folder
      ? `${script.folder}/${script.name}`
      : script.name;
    let values: ParameterValues | null = null;
    let error: IParameterError | null = null;
    for (;;) {
      const chosen = await forms.ask({
        scriptId: script.id,
        parameters,
        title: trans.__('Run %1', name),
        acceptLabel: trans.__('Run'),
        values,
        error
      });
      if (chosen === null) {
        return null;
      }
      try {
        const run = await client.runs.start({ ...pinned, parameters: chosen });
        void forms.remember(script.id, chosen);
        context.showRun(run.id, true);
        return run;
      } catch (reason) {
        const refused = parameterErrorOf(reason);
        if (
          refused === null ||
          !Object.prototype.hasOwnProperty.call(
            parameters.schema.properties,
            refused.field
          )
        ) {
          await showErrorMessage(
            trans.__('Cannot start the run'),
            reason as Error
          );
          return null;
        }
        values = chosen;
        error = refused;
      }
    }
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
          const asked = await scriptRequest(id, args);
          if (asked === null) {
            return null;
          }
          if (isValues(args.parameters)) {
            return start({ ...asked.request, parameters: args.parameters });
          }
          return runScript(asked.request, asked.script);
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

/** Whether a command's argument is an object of parameter values. */
function isValues(value: unknown): value is ParameterValues {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
