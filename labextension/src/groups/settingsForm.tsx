/**
 * The settings of a group in its editor: name, mode, concurrency, stop on
 * failure, default timeout.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { HTMLSelect } from '@jupyterlab/ui-components';
import * as React from 'react';

import { IGroupDraft } from './draft';

/** Name, mode, concurrency, stop on failure, default timeout. */
export function GroupSettings(props: {
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
