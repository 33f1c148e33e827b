import { Dialog, MainAreaWidget, showDialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import {
  caretDownIcon,
  caretUpIcon,
  closeIcon,
  HTMLSelect,
  runIcon,
  saveIcon,
  ReactWidget,
  ToolbarButtonComponent
} from '@jupyterlab/ui-components';
import { Message } from '@lumino/messaging';
import * as React from 'react';

import { IInterpreterInfo, ScriptForgeClient } from '../client';
import { ErrorNote, LoadingNote } from '../widgets/notes';
import {
  IDraftItem,
  IGroupDraft,
  moveItem,
  newItem,
  sameDraft,
  toDraft,
  toInput
} from './groupDraft';
import { groupsChanged, onGroupsChanged } from './groupEvents';
import { RunLabels, useLabels } from './labels';
import { ScriptPicker } from './scriptPicker';

/** What the editor asks of the application. */
export interface IGroupEditorActions {
  /** Start a run of the (saved) group. */
  run: (groupId: number) => void;
}

/** The editor of one group, in the main area. */
export class GroupEditor extends ReactWidget {
  constructor(
    readonly groupId: number,
    private readonly _client: ScriptForgeClient,
    private readonly _labels: RunLabels,
    private readonly _trans: TranslationBundle,
    private readonly _actions: IGroupEditorActions
  ) {
    super();
    this.addClass('jp-ScriptForge-GroupEditor');
    this.title.label = _trans.__('Group');
  }

  /** Whether the editor holds changes not saved yet. */
  get dirty(): boolean {
    return this._dirty;
  }

  /**
   * Ask what to do with unsaved changes before closing: true to close (saved or
   * discarded), false to stay (cancelled, or the save failed and says why).
   */
  async confirmClose(): Promise<boolean> {
    if (!this._dirty) {
      return true;
    }
    const trans = this._trans;
    const answer = await showDialog({
      title: trans.__('Unsaved Changes'),
      body: trans.__(
        'The group “%1” has changes that are not saved. Save them before closing?',
        this.title.label
      ),
      buttons: [
        Dialog.cancelButton(),
        Dialog.warnButton({ label: trans.__('Discard'), actions: ['discard'] }),
        Dialog.okButton({ label: trans.__('Save'), actions: ['save'] })
      ],
      defaultButton: 2
    });
    if (!answer.button.accept) {
      return false;
    }
    if (answer.button.actions.includes('save')) {
      return (await this._save?.()) ?? false;
    }
    return true;
  }

  protected render(): JSX.Element {
    return (
      <GroupEditorView
        groupId={this.groupId}
        client={this._client}
        labels={this._labels}
        trans={this._trans}
        actions={this._actions}
        onSave={save => {
          this._save = save;
        }}
        onState={(name, dirty) => {
          this._dirty = dirty;
          this.title.label = name || this._trans.__('Group');
          this.title.caption = this._trans.__('Group “%1”', name);
          // JupyterLab draws a dirty tab with a dot in place of its close icon.
          this.title.className = dirty ? 'jp-mod-dirty' : '';
        }}
      />
    );
  }

  private _dirty = false;
  private _save: (() => Promise<boolean>) | null = null;
}

/**
 * The main-area widget of a group editor: closing its tab with unsaved changes asks
 * first (Save, Discard, Cancel) instead of dropping them.
 */
export class GroupEditorWidget extends MainAreaWidget<GroupEditor> {
  protected onCloseRequest(msg: Message): void {
    if (!this.content.dirty) {
      super.onCloseRequest(msg);
      return;
    }
    if (this._asking) {
      return;
    }
    this._asking = true;
    void this.content
      .confirmClose()
      .then(close => {
        if (close) {
          this.dispose();
        }
      })
      .finally(() => {
        this._asking = false;
      });
  }

  private _asking = false;
}

type LoadState =
  | { kind: 'loading' }
  | { kind: 'ready'; saved: IGroupDraft }
  | { kind: 'failed'; message: string };

function GroupEditorView(props: {
  groupId: number;
  client: ScriptForgeClient;
  labels: RunLabels;
  trans: TranslationBundle;
  actions: IGroupEditorActions;
  onState: (name: string, dirty: boolean) => void;
  /** Hands the widget the editor's save (for the question on close). */
  onSave: (save: (() => Promise<boolean>) | null) => void;
}): JSX.Element {
  const { client, trans, groupId } = props;
  const [load, setLoad] = React.useState<LoadState>({ kind: 'loading' });
  const [draft, setDraft] = React.useState<IGroupDraft | null>(null);
  const [interpreters, setInterpreters] = React.useState<IInterpreterInfo[]>(
    []
  );
  const [error, setError] = React.useState<string | null>(null);
  const [saving, setSaving] = React.useState(false);
  const [reloads, setReloads] = React.useState(0);
  const dirty =
    load.kind === 'ready' && draft !== null && !sameDraft(load.saved, draft);
  const dirtyRef = React.useRef(dirty);
  dirtyRef.current = dirty;
  // The saved group the current draft is compared with, for updates landing later.
  const savedRef = React.useRef<IGroupDraft | null>(null);
  savedRef.current = load.kind === 'ready' ? load.saved : null;

  React.useEffect(() => {
    let cancelled = false;
    client
      .getGroup(groupId)
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
      onGroupsChanged(() => {
        if (!dirtyRef.current) {
          setReloads(value => value + 1);
        }
      }),
    []
  );

  React.useEffect(() => {
    client
      .listInterpreters()
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
      const group = await client.updateGroup(groupId, checked.input);
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
      groupsChanged();
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
      <div className="jp-ScriptForge-header">
        <h2 className="jp-ScriptForge-title">
          {trans.__('Group')}
          {dirty && (
            <span className="jp-ScriptForge-dirty">
              {trans.__('unsaved changes')}
            </span>
          )}
        </h2>
        <div className="jp-ScriptForge-toolbar">
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
        </div>
      </div>
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
        />
      )}
    </div>
  );
}

/** Name, mode, concurrency, stop on failure, default timeout. */
function GroupSettings(props: {
  draft: IGroupDraft;
  trans: TranslationBundle;
  onChange: (changes: Partial<IGroupDraft>) => void;
}): JSX.Element {
  const { draft, trans, onChange } = props;
  return (
    <div className="jp-ScriptForge-form">
      <label>
        <span>{trans.__('Name')}</span>
        <input
          className="jp-mod-styled"
          aria-label={trans.__('Group name')}
          value={draft.name}
          onChange={event => onChange({ name: event.target.value })}
        />
      </label>
      <label>
        <span>{trans.__('Mode')}</span>
        <HTMLSelect
          aria-label={trans.__('Mode')}
          value={draft.mode}
          onChange={event =>
            onChange({
              mode: event.currentTarget.value as IGroupDraft['mode']
            })
          }
          options={[
            { value: 'sequential', label: trans.__('Sequential') },
            { value: 'parallel', label: trans.__('Parallel') }
          ]}
        />
      </label>
      <label>
        <span>{trans.__('Max concurrency')}</span>
        <input
          className="jp-mod-styled"
          type="number"
          min={1}
          max={64}
          aria-label={trans.__('Max concurrency')}
          disabled={draft.mode !== 'parallel'}
          title={
            draft.mode !== 'parallel'
              ? trans.__('Only parallel groups run items at once')
              : undefined
          }
          value={draft.maxConcurrency}
          onChange={event => onChange({ maxConcurrency: event.target.value })}
        />
      </label>
      <label className="jp-ScriptForge-check">
        <input
          type="checkbox"
          aria-label={trans.__('Stop on failure')}
          checked={draft.stopOnFailure}
          onChange={event => onChange({ stopOnFailure: event.target.checked })}
        />
        <span>{trans.__('Stop on failure')}</span>
      </label>
      <label>
        <span>{trans.__('Timeout per item (s)')}</span>
        <input
          className="jp-mod-styled"
          type="number"
          min={0}
          step="any"
          placeholder={trans.__('server default')}
          aria-label={trans.__('Default timeout per item')}
          value={draft.itemTimeout}
          onChange={event => onChange({ itemTimeout: event.target.value })}
        />
      </label>
    </div>
  );
}

/** The items in order: reorder (buttons or drag and drop), settings, remove. */
function GroupItems(props: {
  items: IDraftItem[];
  labels: RunLabels;
  trans: TranslationBundle;
  interpreters: IInterpreterInfo[];
  onChangeItem: (index: number, changes: Partial<IDraftItem>) => void;
  onItems: (items: IDraftItem[]) => void;
}): JSX.Element {
  const { items, labels, trans } = props;
  useLabels(labels);
  const dragged = React.useRef<number | null>(null);
  const [over, setOver] = React.useState<number | null>(null);
  const move = (from: number, to: number) =>
    props.onItems(moveItem(items, from, to));
  const interpreterOptions = [
    { value: '', label: trans.__("Script's own") },
    ...props.interpreters.map(found => ({
      value: found.name,
      label: `${found.name} (${found.implementation} ${found.version})`
    }))
  ];

  return (
    <ol
      className="jp-ScriptForge-groupItems"
      aria-label={trans.__('Group items')}
    >
      {items.map((item, index) => {
        const name = labels.script(item.scriptId) ?? '…';
        const options =
          item.interpreter !== null &&
          !interpreterOptions.some(option => option.value === item.interpreter)
            ? [
                ...interpreterOptions,
                { value: item.interpreter, label: item.interpreter }
              ]
            : interpreterOptions;
        return (
          <li
            key={item.key}
            className={
              over === index
                ? 'jp-ScriptForge-groupItem jp-mod-dropTarget'
                : 'jp-ScriptForge-groupItem'
            }
            data-script-id={item.scriptId}
            draggable
            onDragStart={event => {
              dragged.current = index;
              event.dataTransfer.effectAllowed = 'move';
            }}
            onDragOver={event => {
              if (dragged.current !== null) {
                event.preventDefault();
                setOver(index);
              }
            }}
            onDragLeave={() => setOver(null)}
            onDrop={event => {
              event.preventDefault();
              if (dragged.current !== null) {
                move(dragged.current, index);
              }
              dragged.current = null;
              setOver(null);
            }}
            onDragEnd={() => {
              dragged.current = null;
              setOver(null);
            }}
          >
            <span className="jp-ScriptForge-groupItem-position">
              {index + 1}
            </span>
            <span className="jp-ScriptForge-groupItem-name" title={name}>
              {name}
            </span>
            <input
              className="jp-mod-styled jp-ScriptForge-groupItem-args"
              aria-label={trans.__('Arguments of %1', name)}
              placeholder={trans.__('arguments')}
              title={trans.__(
                'Split on spaces; quote an argument to keep its spaces'
              )}
              value={item.args}
              onChange={event =>
                props.onChangeItem(index, { args: event.target.value })
              }
            />
            <HTMLSelect
              aria-label={trans.__('Interpreter of %1', name)}
              value={item.interpreter ?? ''}
              onChange={event =>
                props.onChangeItem(index, {
                  interpreter: event.currentTarget.value || null
                })
              }
              options={options}
            />
            <input
              className="jp-mod-styled jp-ScriptForge-groupItem-timeout"
              type="number"
              min={0}
              step="any"
              aria-label={trans.__('Timeout of %1 in seconds', name)}
              placeholder={trans.__('timeout (s)')}
              value={item.timeout}
              onChange={event =>
                props.onChangeItem(index, { timeout: event.target.value })
              }
            />
            <span className="jp-ScriptForge-toolbar">
              <ToolbarButtonComponent
                icon={caretUpIcon}
                tooltip={trans.__('Move %1 up', name)}
                enabled={index > 0}
                onClick={() => move(index, index - 1)}
              />
              <ToolbarButtonComponent
                icon={caretDownIcon}
                tooltip={trans.__('Move %1 down', name)}
                enabled={index < items.length - 1}
                onClick={() => move(index, index + 1)}
              />
              <ToolbarButtonComponent
                icon={closeIcon}
                tooltip={trans.__('Remove %1', name)}
                onClick={() =>
                  props.onItems(items.filter((_, i) => i !== index))
                }
              />
            </span>
          </li>
        );
      })}
    </ol>
  );
}
