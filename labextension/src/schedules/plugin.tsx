/**
 * The schedules feature: the Schedules section of the Scripts sidebar, and the
 * commands that schedule a script or a group and edit a schedule.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { ITranslator } from '@jupyterlab/translation';
import * as React from 'react';

import { IScriptForgeClient, IScriptsPanel, IUserRights } from '../tokens';
import { Changes } from '../ui/changes';
import { bundleOf } from '../ui/translation';
import { addScheduleCommands } from './commands';
import { SchedulesView } from './schedulesView';

/** After the Groups section (100) in the Scripts sidebar. */
const SECTION_RANK = 110;

export const schedulesPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyter-scriptforge:schedules',
  description:
    'Adds the Schedules section of the Scripts sidebar and the commands that schedule scripts and groups.',
  autoStart: true,
  requires: [IScriptForgeClient],
  optional: [ICommandPalette, ITranslator, IScriptsPanel, IUserRights],
  activate: (
    app: JupyterFrontEnd,
    client: IScriptForgeClient,
    palette: ICommandPalette | null,
    translator: ITranslator | null,
    scripts: IScriptsPanel | null,
    rights: IUserRights | null
  ) => {
    const trans = bundleOf(translator);
    const changes = new Changes();
    addScheduleCommands(
      { app, client, trans, changes, scripts, rights },
      palette
    );
    scripts?.addSection({
      rank: SECTION_RANK,
      render: ({ refreshToken }) => (
        <SchedulesView
          client={client}
          trans={trans}
          commands={app.commands}
          changes={changes}
          refreshToken={refreshToken}
        />
      )
    });
  }
};
