/**
 * The items of a group in its editor, in order: each with its arguments (the
 * values of its script's parameters, when it declares some), interpreter and
 * timeout, moved with buttons or by drag and drop, or removed.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import {
  caretDownIcon,
  caretUpIcon,
  closeIcon,
  HTMLSelect,
  ToolbarButtonComponent
} from '@jupyterlab/ui-components';
import * as React from 'react';

import { IInterpreterInfo } from '../client';
import { IResourceLabels } from '../tokens';
import { COMPACT_CHARS, formatParameters } from '../ui/parameterValues';
import { useLabels } from '../ui/useLabels';
import { IDraftItem, moveItem } from './draft';
import { ItemParameters } from './useItemParameters';

/** The items in order: reorder (buttons or drag and drop), settings, remove. */
export function GroupItems(props: {
  items: IDraftItem[];
  labels: IResourceLabels;
  trans: TranslationBundle;
  interpreters: IInterpreterInfo[];
  onChangeItem: (index: number, changes: Partial<IDraftItem>) => void;
  onItems: (items: IDraftItem[]) => void;
  /** The parameters of each item's script, by script id (absent: not asked yet). */
  parameters: ReadonlyMap<number, ItemParameters>;
  /** Open the run form of an item's values; null without a run form. */
  onEditParameters: ((index: number) => void) | null;
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
            <ItemArguments
              item={item}
              name={name}
              parameters={props.parameters.get(item.scriptId)}
              trans={trans}
              onChange={changes => props.onChangeItem(index, changes)}
              onEditParameters={
                props.onEditParameters
                  ? () => props.onEditParameters?.(index)
                  : null
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

/**
 * What an item passes its script: free-form arguments, or the values of the
 * parameters its script declares (shown compactly, set in the run form).
 */
function ItemArguments(props: {
  item: IDraftItem;
  name: string;
  parameters: ItemParameters | undefined;
  trans: TranslationBundle;
  onChange: (changes: Partial<IDraftItem>) => void;
  onEditParameters: (() => void) | null;
}): JSX.Element {
  const { item, name, parameters, trans } = props;
  const declared =
    parameters !== undefined && parameters !== 'loading' && parameters !== null
      ? parameters
      : null;
  const values = item.parameters;
  // Values replace arguments; arguments typed before the script declared
  // parameters stay in sight until values are set.
  const showArgs = values === null && (declared === null || item.args !== '');
  // Without values or arguments, a script with required parameters cannot run.
  const needsValues =
    values === null &&
    item.args === '' &&
    (declared?.schema?.required?.length ?? 0) > 0;
  const summary =
    values === null
      ? needsValues
        ? trans.__('values needed')
        : trans.__('defaults')
      : formatParameters(values, COMPACT_CHARS) || trans.__('defaults');
  return (
    <>
      {showArgs && (
        <input
          className="jp-mod-styled jp-ScriptForge-groupItem-args"
          aria-label={trans.__('Arguments of %1', name)}
          placeholder={trans.__('arguments')}
          title={trans.__(
            'Split on spaces; quote an argument to keep its spaces'
          )}
          value={item.args}
          onChange={event => props.onChange({ args: event.target.value })}
        />
      )}
      {(declared !== null || values !== null) && (
        <span className="jp-ScriptForge-groupItem-parameters">
          {!showArgs && (
            <span
              className={
                needsValues
                  ? 'jp-ScriptForge-groupItem-values jp-mod-warning'
                  : 'jp-ScriptForge-groupItem-values'
              }
              data-field="parameters"
              title={values === null ? summary : formatParameters(values)}
            >
              {summary}
            </span>
          )}
          {declared !== null && props.onEditParameters && (
            <button
              type="button"
              className="jp-mod-styled jp-ScriptForge-editParameters"
              aria-label={trans.__('Edit the parameters of %1', name)}
              onClick={props.onEditParameters}
            >
              {trans.__('Edit parameters…')}
            </button>
          )}
          {parameters === null && values !== null && (
            // The script no longer declares parameters: back to arguments.
            <button
              type="button"
              className="jp-mod-styled jp-ScriptForge-clearParameters"
              title={trans.__(
                '%1 declares no parameters now: give it arguments instead',
                name
              )}
              onClick={() => props.onChange({ parameters: null })}
            >
              {trans.__('Clear values')}
            </button>
          )}
        </span>
      )}
    </>
  );
}
