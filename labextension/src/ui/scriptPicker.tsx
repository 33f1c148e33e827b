/**
 * Find a script of the catalog as you type and pick it: the group editor's
 * "Add a script" and the Runs panel's script filter.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { addIcon, LabIcon, searchIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import { IScript, IScriptForgeClient } from '../client';

const SEARCH_DELAY_MS = 250;
const RESULTS = 8;

type Found =
  | { kind: 'idle' }
  | { kind: 'searching' }
  /** `query` is the (trimmed) text these scripts were found for. */
  | { kind: 'ready'; query: string; scripts: IScript[] }
  | { kind: 'failed'; message: string };

export interface IScriptPickerProps {
  client: IScriptForgeClient;
  trans: TranslationBundle;
  onPick: (script: IScript) => void;
  /** The search field's placeholder and accessible name. */
  placeholder?: string;
  label?: string;
  /** The accessible name of the list of results. */
  resultsLabel?: string;
  /** The icon of each result (what picking does). */
  resultIcon?: LabIcon;
}

/** Find a script of the catalog as you type (server-side search) and pick it. */
export function ScriptPicker(props: IScriptPickerProps): JSX.Element {
  const { client, trans } = props;
  const [query, setQuery] = React.useState('');
  const [found, setFound] = React.useState<Found>({ kind: 'idle' });
  const [open, setOpen] = React.useState(false);
  // Enter pressed before the results of the text typed came: search at once, and
  // pick the first result of that text when it lands.
  const pickFor = React.useRef<string | null>(null);
  const [searchNow, setSearchNow] = React.useState(0);
  const onPick = React.useRef(props.onPick);
  onPick.current = props.onPick;
  const wanted = query.trim();

  const pick = (script: IScript) => {
    pickFor.current = null;
    onPick.current(script);
    setQuery('');
  };

  React.useEffect(() => {
    if (!open) {
      return;
    }
    let cancelled = false;
    setFound(current =>
      current.kind === 'ready' ? current : { kind: 'searching' }
    );
    const delay = pickFor.current === wanted ? 0 : SEARCH_DELAY_MS;
    const timer = window.setTimeout(() => {
      client.scripts
        .list({ q: wanted, limit: RESULTS })
        .then(page => {
          if (cancelled) {
            return;
          }
          if (pickFor.current === wanted) {
            pickFor.current = null;
            if (page.items.length > 0) {
              pick(page.items[0]);
            }
          }
          setFound({ kind: 'ready', query: wanted, scripts: page.items });
        })
        .catch((reason: Error) => {
          if (!cancelled) {
            pickFor.current = null;
            setFound({ kind: 'failed', message: reason.message });
          }
        });
    }, delay);
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [client, wanted, open, searchNow]);

  // Results of an older text stay on screen until the new ones come, marked stale.
  const stale = found.kind === 'ready' && found.query !== wanted;
  const ResultIcon = props.resultIcon ?? addIcon;
  return (
    <div
      className="jp-ScriptForge-picker"
      onBlur={event => {
        // Closing on blur, unless the focus moved to one of the results.
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) {
          setOpen(false);
        }
      }}
    >
      <label className="jp-ScriptForge-search">
        <searchIcon.react tag="span" className="jp-ScriptForge-searchIcon" />
        <input
          type="search"
          placeholder={
            props.placeholder ?? trans.__('Add a script: type to search')
          }
          aria-label={props.label ?? trans.__('Search scripts to add')}
          value={query}
          onFocus={() => setOpen(true)}
          onChange={event => {
            pickFor.current = null;
            setQuery(event.target.value);
            setOpen(true);
          }}
          onKeyDown={event => {
            if (event.key === 'Enter') {
              event.preventDefault();
              if (found.kind === 'ready' && !stale) {
                const first = found.scripts[0];
                if (first) {
                  pick(first);
                }
              } else {
                pickFor.current = wanted;
                setOpen(true);
                setSearchNow(value => value + 1);
              }
            } else if (event.key === 'Escape') {
              pickFor.current = null;
              setOpen(false);
            }
          }}
        />
      </label>
      {open && (
        <ul
          className={
            stale
              ? 'jp-ScriptForge-pickerResults jp-mod-stale'
              : 'jp-ScriptForge-pickerResults'
          }
          aria-label={props.resultsLabel ?? trans.__('Scripts to add')}
          aria-busy={stale || found.kind === 'searching'}
        >
          {found.kind === 'searching' && (
            <li className="jp-ScriptForge-pickerNote">
              {trans.__('Searching…')}
            </li>
          )}
          {found.kind === 'failed' && (
            <li className="jp-ScriptForge-pickerNote" role="alert">
              {found.message}
            </li>
          )}
          {found.kind === 'ready' && found.scripts.length === 0 && (
            <li className="jp-ScriptForge-pickerNote">
              {trans.__('No scripts match.')}
            </li>
          )}
          {found.kind === 'ready' &&
            found.scripts.map(script => (
              <li key={script.id}>
                <button
                  className="jp-ScriptForge-pickerResult"
                  data-script-id={script.id}
                  onClick={() => pick(script)}
                >
                  <ResultIcon.react tag="span" />
                  <span>{script.name}</span>
                  {script.folder && (
                    <span className="jp-ScriptForge-itemFolder">
                      {script.folder}
                    </span>
                  )}
                </button>
              </li>
            ))}
        </ul>
      )}
    </div>
  );
}
