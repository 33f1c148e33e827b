/**
 * The Groups section of the Scripts sidebar: this user's groups, with Run, Edit
 * and Delete.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { TranslationBundle } from '@jupyterlab/translation';
import {
  addIcon,
  deleteIcon,
  editIcon,
  historyIcon,
  runIcon,
  ToolbarButtonComponent
} from '@jupyterlab/ui-components';
import * as React from 'react';

import { IGroup, IScriptForgeClient } from '../client';
import { CommandIDs } from '../tokens';
import { confirmDelete } from '../ui/confirm';
import { tryOrShowError } from '../ui/errors';
import { PanelHeader } from '../ui/header';
import { ErrorNote, LoadingNote } from '../ui/notes';
import { useChanged, useFetched } from '../ui/useFetched';
import { GroupChanges } from './events';

export interface IGroupsViewProps {
  client: IScriptForgeClient;
  trans: TranslationBundle;
  commands: JupyterFrontEnd['commands'];
  changes: GroupChanges;
  /** Changes when the list must be fetched again. */
  refreshToken: number;
}

/** This user's groups, with Run, Edit and Delete, for the Scripts sidebar. */
export function GroupsView(props: IGroupsViewProps): JSX.Element {
  const { client, trans, commands, refreshToken, changes } = props;
  const changed = useChanged(changes);
  const state = useFetched(
    () => client.groups.list(),
    [client, refreshToken, changed]
  );

  const remove = async (group: IGroup) => {
    const deleting = await confirmDelete(
      trans,
      trans.__('Delete Group'),
      trans.__(
        'Delete the group “%1”? Its past runs stay in the history.',
        group.name
      )
    );
    if (!deleting) {
      return;
    }
    await tryOrShowError(trans.__('Cannot delete the group'), async () => {
      await client.groups.delete(group.id);
      changes.emit();
    });
  };

  // A viewer makes no groups (the write right).
  const mayCreate = commands.isVisible(CommandIDs.newGroup);
  return (
    <section className="jp-ScriptForge-groups" aria-label={trans.__('Groups')}>
      <PanelHeader title={trans.__('Groups')}>
        {mayCreate && (
          <ToolbarButtonComponent
            icon={addIcon}
            tooltip={trans.__('New Group')}
            onClick={() => void commands.execute(CommandIDs.newGroup)}
          />
        )}
      </PanelHeader>
      {state.kind === 'loading' && (
        <LoadingNote>{trans.__('Loading groups…')}</LoadingNote>
      )}
      {state.kind === 'failed' && <ErrorNote message={state.message} />}
      {state.kind === 'ready' && state.value.length === 0 && (
        <div className="jp-ScriptForge-empty">
          <p>
            {trans.__(
              'No groups yet. A group runs several scripts in order or in parallel.'
            )}
          </p>
          {mayCreate && (
            <button
              className="jp-mod-styled"
              onClick={() => void commands.execute(CommandIDs.newGroup)}
            >
              {trans.__('New Group')}
            </button>
          )}
        </div>
      )}
      {state.kind === 'ready' && state.value.length > 0 && (
        <ul className="jp-ScriptForge-list" aria-label={trans.__('Groups')}>
          {state.value.map(group => (
            <li
              key={group.id}
              className="jp-ScriptForge-group"
              data-group-id={group.id}
              tabIndex={0}
              onDoubleClick={() =>
                void commands.execute(CommandIDs.editGroup, {
                  groupId: group.id
                })
              }
            >
              <span className="jp-ScriptForge-itemText">
                <span className="jp-ScriptForge-itemName">{group.name}</span>
                <span className="jp-ScriptForge-itemFolder">
                  {group.mode === 'parallel'
                    ? trans._n(
                        'parallel · %1 script',
                        'parallel · %1 scripts',
                        group.items.length
                      )
                    : trans._n(
                        'sequential · %1 script',
                        'sequential · %1 scripts',
                        group.items.length
                      )}
                </span>
              </span>
              <span className="jp-ScriptForge-toolbar">
                <ToolbarButtonComponent
                  icon={runIcon}
                  tooltip={trans.__('Run group %1', group.name)}
                  enabled={group.items.length > 0}
                  onClick={() =>
                    void commands.execute(CommandIDs.runGroup, {
                      groupId: group.id
                    })
                  }
                />
                {commands.isVisible(CommandIDs.scheduleGroup) && (
                  <ToolbarButtonComponent
                    icon={historyIcon}
                    tooltip={trans.__('Schedule group %1', group.name)}
                    enabled={group.items.length > 0}
                    onClick={() =>
                      void commands.execute(CommandIDs.scheduleGroup, {
                        groupId: group.id
                      })
                    }
                  />
                )}
                <ToolbarButtonComponent
                  icon={editIcon}
                  tooltip={trans.__('Edit group %1', group.name)}
                  onClick={() =>
                    void commands.execute(CommandIDs.editGroup, {
                      groupId: group.id
                    })
                  }
                />
                <ToolbarButtonComponent
                  icon={deleteIcon}
                  tooltip={trans.__('Delete group %1', group.name)}
                  onClick={() => void remove(group)}
                />
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
