/**
 * What the group editor shows: the group's settings and its items as a draft
 * (groups/draft.ts), saved on Save (or Ctrl+S) and before a run.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import {
  runIcon,
  saveIcon,
  ToolbarButtonComponent
} from '@jupyterlab/ui-components';
import * as React from 'react';

import { IInterpreterInfo, IScriptForgeClient } from '../client';
import { IParameterForms, IResourceLabels } from '../tokens';
import { PanelHeader } from '../ui/header';
import { ErrorNote, LoadingNote } from '../ui/notes';
import { ScriptPicker } from '../ui/scriptPicker';
import {
  IDraftItem,
  IGroupDraft,
  newItem,
  sameDraft,
  toDraft,
  toInput
} from './draft';
import { GroupChanges } from './events';
import { GroupItems } from './itemList';
import { GroupSettings } from './settingsForm';
import { useItemParameters } from './useItemParameters';

/** What the editor asks of the application. */
export interface IGroupEditorActions {
  /** Start a run of the (saved) group. */
  run: (groupId: number) => void;
}

type LoadState =
  | { kind: 'loading' }
  | { kind: 'ready'; saved: IGroupDraft }
  | { kind: 'failed'; message: string };

export function GroupEditorView(props: {
  groupId: number;
  client: IScriptForgeClient;
  labels: IResourceLabels;
  changes: GroupChanges;
  trans: TranslationBundle;
  actions: IGroupEditorActions;
  /** The run form, for the values of items whose scripts declare parameters. */
  forms: IParameterForms | null;
  onState: (name: string, dirty: boolean) => void;
  /** Hands the widget the editor's save (for the question on close). */
  onSave: (save: (() => Promise<boolean>) | null) => void;
}): JSX.Element {
  const { client, trans, groupId, changes } = props;
  const [load, setLoad] = React.useState<LoadState>({ kind: 'loading' });
  const [draft, setDraft] = React.useState<IGroupDraft | null>(null);
  const [interpreters, setInterpreters] = React.useState<IInterpreterInfo[]>(
    []
  );
  const [error, setError] = React.useState<string | null>(null);
  const [saving, setSaving] = React.useState(false);
  const [reloads, setReloads] = React.useState(0);
  const itemParameters = useItemParameters(
    client,
    draft?.items.map(item => item.scriptId) ?? []
  );
  const dirty =
    load.kind === 'ready' && draft !== null && !sameDraft(load.saved, draft);
  const dirtyRef = React.useRef(dirty);
  dirtyRef.current = dirty;
  // The saved group the current draft is compared with, for updates landing later.
  const savedRef = React.useRef<IGroupDraft | null>(null);
  savedRef.current = load.kind === 'ready' ? load.saved : null;

  React.useEffect(() => {
    let cancelled = false;
    client.groups
      .get(groupId)
      .then(group => {
        if (!cancelled) {
          const saved = toDraft(group);
          const before = savedRef.current;
          setLoad({ kind: 'ready', saved });
          // Edits typed while this was on its way are kept: it replaces only a
          // draft that still equals what was saved.
          setDraft(current =>
            current === null || before === null || sameDraft(before, current)
              ? saved
              : current
          );
        }
      })
      .catch((reason: Error) => {
        if (!cancelled) {
          setLoad({ kind: 'failed', message: reason.message });
        }
      });
    return () => {
      cancelled = true;
    };
  }, [client, groupId, reloads]);

  // Changed elsewhere ("Add to Group…"): take it in unless the user is editing.
  React.useEffect(
    () =>
      changes.listen(() => {
        if (!dirtyRef.current) {
          setReloads(value => value + 1);
        }
      }),
    [changes]
  );

  React.useEffect(() => {
    client.interpreters
      .list()
      .then(setInterpreters)
      .catch(() => undefined); // the select then offers "script's own" only
  }, [client]);

  const name = draft?.name ?? '';
  React.useEffect(() => props.onState(name, dirty), [name, dirty]);

  // The widget asks to save on close: it gets the save of the latest render.
  const saveRef = React.useRef<() => Promise<boolean>>(async () => false);
  React.useEffect(() => {
    props.onSave(() => saveRef.current());
    return () => props.onSave(null);
  }, []);

  if (load.kind === 'loading' || (load.kind === 'ready' && draft === null)) {
    return <LoadingNote>{trans.__('Loading the group…')}</LoadingNote>;
  }
  if (load.kind === 'failed' || draft === null) {
    return (
      <ErrorNote
        message={load.kind === 'failed' ? load.message : trans.__('No group.')}
      />
    );
  }

  const change = (changes: Partial<IGroupDraft>) =>
    setDraft({ ...draft, ...changes });
  const changeItem = (index: number, changes: Partial<IDraftItem>) =>
    change({
      items: draft.items.map((item, i) =>
        i === index ? { ...item, ...changes } : item
      )
    });

  const save = async (): Promise<boolean> => {
    const checked = toInput(draft, trans);
    if ('error' in checked) {
      setError(checked.error);
      return false;
    }
    setSaving(true);
    try {
      const group = await client.groups.update(groupId, checked.input);
      const saved = toDraft(group);
      // Keep the user's item keys so the rows do not remount under them.
      saved.items = saved.items.map((item, i) => ({
        ...item,
        key: draft.items[i]?.key ?? item.key
      }));
      setLoad({ kind: 'ready', saved });
      // Edits typed while saving stay (and show as unsaved).
      setDraft(current => (current === draft ? saved : current));
      setError(null);
      props.labels.forgetGroup(groupId);
      changes.emit();
      return true;
    } catch (reason) {
      // The server's 4xx message says what is wrong (a name taken, a bad item).
      setError((reason as Error).message);
      return false;
    } finally {
      setSaving(false);
    }
  };
  saveRef.current = save;
  const forms = props.forms;
  const editParameters = async (index: number) => {
    const item = draft.items[index];
    const parameters = itemParameters.get(item.scriptId);
    if (!forms || !parameters || parameters === 'loading') {
      return;
    }
    const name = props.labels.script(item.scriptId) ?? `#${item.scriptId}`;
    const values = await forms.ask({
      scriptId: item.scriptId,
      parameters,
      title: trans.__('Parameters of %1 in the group', name),
      acceptLabel: trans.__('Apply'),
      values: item.parameters
    });
    if (values === null) {
      return;
    }
    // The draft may have moved on while the form was open: the item is found by key.
    setDraft(current =>
      current
        ? {
            ...current,
            items: current.items.map(one =>
              one.key === item.key
                ? { ...one, parameters: values, args: '' }
                : one
            )
          }
        : current
    );
  };
  const run = async () => {
    if (!dirty || (await save())) {
      props.actions.run(groupId);
    }
  };

  return (
    <div
      className="jp-ScriptForge-groupEditor"
      data-group-id={groupId}
      onKeyDown={event => {
        if ((event.ctrlKey || event.metaKey) && event.key === 's') {
          event.preventDefault();
          event.stopPropagation();
          void save();
        }
      }}
    >
      <PanelHeader
        title={
          <>
            {trans.__('Group')}
            {dirty && (
              <span className="jp-ScriptForge-dirty">
                {trans.__('unsaved changes')}
              </span>
            )}
          </>
        }
      >
        <ToolbarButtonComponent
          icon={saveIcon}
          label={trans.__('Save')}
          tooltip={trans.__('Save the group')}
          enabled={dirty && !saving}
          onClick={() => void save()}
        />
        <ToolbarButtonComponent
          icon={runIcon}
          label={trans.__('Run')}
          tooltip={trans.__('Save and run the group')}
          enabled={!saving && draft.items.length > 0}
          onClick={() => void run()}
        />
      </PanelHeader>
      {error && <ErrorNote message={error} />}
      <GroupSettings draft={draft} trans={trans} onChange={change} />
      <h3 className="jp-ScriptForge-subtitle">{trans.__('Scripts')}</h3>
      <ScriptPicker
        client={client}
        trans={trans}
        onPick={script =>
          change({ items: [...draft.items, newItem(script.id)] })
        }
      />
      {draft.items.length === 0 ? (
        <div className="jp-ScriptForge-empty">
          {trans.__('No scripts yet: search above to add some.')}
        </div>
      ) : (
        <GroupItems
          items={draft.items}
          labels={props.labels}
          trans={trans}
          interpreters={interpreters}
          onChangeItem={changeItem}
          onItems={items => change({ items })}
          parameters={itemParameters}
          onEditParameters={forms ? index => void editParameters(index) : null}
        />
      )}
    </div>
  );
}
