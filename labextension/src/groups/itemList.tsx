/**
 * The items of a group in its editor, in order: each with its arguments,
 * interpreter and timeout, moved with buttons or by drag and drop, or removed.
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
import { useLabels } from '../ui/useLabels';
import { IDraftItem, moveItem } from './draft';

/** The items in order: reorder (buttons or drag and drop), settings, remove. */
export function GroupItems(props: {
  items: IDraftItem[];
  labels: IResourceLabels;
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
