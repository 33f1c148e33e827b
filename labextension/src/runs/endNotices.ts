/**
 * A run of this user that failed or timed out out of sight — started by a
 * schedule, from the command line or in another tab — is said in JupyterLab's
 * notifications, with a link to the run. One started in this page fails in
 * plain sight, in its Runs panel; no toast then covers the panels (the
 * Assistant's Fix buttons among them).
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { Notification } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';

import { IRun, IScriptForgeClient } from '../client';
import { CommandIDs, IResourceLabels } from '../tokens';

/** How long a failure's toast stays up. */
const NOTICE_MS = 10_000;

/** Listen for run ends until the page goes; returns how to stop. */
export function noticeFailedRuns(
  app: JupyterFrontEnd,
  client: IScriptForgeClient,
  labels: IResourceLabels,
  trans: TranslationBundle
): () => void {
  const stop = new AbortController();
  const nameOf = async (run: IRun): Promise<string> => {
    try {
      return run.kind === 'group'
        ? (labels.group(run.group_id) ??
            (await client.groups.get(run.group_id ?? -1)).name)
        : (labels.script(run.script_id) ??
            (await client.scripts.get(run.script_id ?? -1)).name);
    } catch {
      return trans.__('#%1', run.script_id ?? run.group_id ?? run.id); // deleted since
    }
  };
  const notice = async (run: IRun) => {
    if (run.status !== 'failed' && run.status !== 'timed_out') {
      return;
    }
    if (await client.runs.startedHere(run.id)) {
      return;
    }
    const name = await nameOf(run);
    const message =
      run.status === 'failed'
        ? run.schedule_id !== null
          ? trans.__('Scheduled run of “%1” failed.', name)
          : trans.__('Run of “%1” failed.', name)
        : run.schedule_id !== null
          ? trans.__('Scheduled run of “%1” timed out.', name)
          : trans.__('Run of “%1” timed out.', name);
    // Gone after a while, not to cover a panel's buttons; the bell keeps it.
    Notification.error(message, {
      autoClose: NOTICE_MS,
      actions: [
        {
          label: trans.__('Show Run'),
          caption: trans.__('Show run %1 in the Runs panel', run.id),
          callback: () =>
            void app.commands.execute(CommandIDs.showRun, { runId: run.id })
        }
      ]
    });
  };
  void client.runs.followEnded(run => void notice(run), stop.signal);
  return () => stop.abort();
}
