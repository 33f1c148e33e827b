/**
 * The dialog of a schedule's page (firesView.tsx): a fire's run opens in the
 * Runs panel, and the dialog closes.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { Dialog, ReactWidget } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { ISchedule, IScriptForgeClient } from '../client';
import { CommandIDs } from '../tokens';
import { ScheduleFires } from './firesView';

export async function showScheduleFires(
  app: JupyterFrontEnd,
  client: IScriptForgeClient,
  trans: TranslationBundle,
  schedule: ISchedule
): Promise<void> {
  const dialog = new Dialog({
    title: trans.__('Runs of “%1”', schedule.name),
    body: ReactWidget.create(
      <ScheduleFires
        client={client}
        trans={trans}
        scheduleId={schedule.id}
        onShowRun={runId => {
          dialog.resolve(0);
          void app.commands.execute(CommandIDs.showRun, { runId });
        }}
      />
    ),
    buttons: [Dialog.okButton({ label: trans.__('Close') })]
  });
  dialog.addClass('jp-ScriptForge-scheduleFiresDialog');
  await dialog.launch();
}
