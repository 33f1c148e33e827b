/**
 * What "Re-run" starts: the request that runs a past run again.
 */
import { IRun, IRunRequest, IScriptRunRequest } from '../client';

/**
 * The request that runs `run` again: a script run with the same version,
 * interpreter, runner, parameter values (else args), env and timeout; a group
 * run with the group as it is now (its items, not those of the first run). Null
 * when there is nothing to run: the group was deleted (runs keep no group then)
 * or no script is recorded.
 */
export function rerunRequest(run: IRun): IRunRequest | null {
  if (run.kind === 'group') {
    return run.group_id === null ? null : { group_id: run.group_id };
  }
  if (run.script_id === null) {
    return null;
  }
  const request: IScriptRunRequest = { script_id: run.script_id };
  if (run.version_id !== null) {
    request.version_id = run.version_id;
  }
  if (run.interpreter) {
    request.interpreter = run.interpreter;
  }
  if (run.runner === 'local' || run.runner === 'docker') {
    request.runner = run.runner;
  }
  if (run.parameters) {
    // The same values, made into a command line again for the version.
    request.parameters = run.parameters;
  } else if (run.args.length > 0) {
    request.args = run.args;
  }
  if (Object.keys(run.env).length > 0) {
    request.env = run.env;
  }
  if (run.timeout_seconds !== null) {
    request.timeout = run.timeout_seconds;
  }
  return request;
}
