/**
 * The groups feature: the Groups section of the Scripts sidebar, the group
 * editors, and the commands that create, edit and fill groups.
 */
import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { ITranslator } from '@jupyterlab/translation';
import * as React from 'react';

import {
  CommandIDs,
  IResourceLabels,
  IScriptForgeClient,
  IParameterForms,
  IScriptsPanel,
  IUserRights
} from '../tokens';
import { bundleOf } from '../ui/translation';
import { addGroupCommands } from './commands';
import { GroupEditor, GroupEditors } from './editor';
import { GroupChanges } from './events';
import { GroupsView } from './groupsView';

/** Where the Groups section sits among the Scripts sidebar's sections. */
const SECTION_RANK = 100;

export const groupsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyter-scriptforge:groups',
  description:
    'Adds the Groups section of the Scripts sidebar, the group editor and the commands of groups.',
  autoStart: true,
  requires: [IScriptForgeClient, IResourceLabels],
  optional: [
    ICommandPalette,
    ILayoutRestorer,
    ITranslator,
    IScriptsPanel,
    IUserRights,
    IParameterForms
  ],
  activate: (
    app: JupyterFrontEnd,
    client: IScriptForgeClient,
    labels: IResourceLabels,
    palette: ICommandPalette | null,
    restorer: ILayoutRestorer | null,
    translator: ITranslator | null,
    scripts: IScriptsPanel | null,
    rights: IUserRights | null,
    forms: IParameterForms | null
  ) => {
    const trans = bundleOf(translator);
    const changes = new GroupChanges();
    const editors = new GroupEditors(
      app,
      groupId =>
        new GroupEditor(
          groupId,
          client,
          labels,
          changes,
          trans,
          {
            run: id =>
              void app.commands.execute(CommandIDs.runGroup, { groupId: id })
          },
          forms
        )
    );
    addGroupCommands(
      {
        app,
        client,
        trans,
        changes,
        scripts,
        rights,
        openGroupEditor: groupId => editors.open(groupId)
      },
      palette
    );
    scripts?.addSection({
      rank: SECTION_RANK,
      render: ({ refreshToken }) => (
        <GroupsView
          client={client}
          trans={trans}
          commands={app.commands}
          changes={changes}
          refreshToken={refreshToken}
        />
      )
    });
    void restorer?.restore(editors.tracker, {
      command: CommandIDs.editGroup,
      args: widget => ({ groupId: widget.content.groupId }),
      name: widget => String(widget.content.groupId)
    });
  }
};
