import { TranslationBundle } from '@jupyterlab/translation';
import { addIcon, searchIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import { IScript, ScriptForgeClient } from '../client';

const SEARCH_DELAY_MS = 250;
const RESULTS = 8;

type Found =
  | { kind: 'idle' }
  | { kind: 'searching' }
  | { kind: 'ready'; scripts: IScript[] }
  | { kind: 'failed'; message: string };

/** Find a script of the catalog as you type (server-side search) and pick it. */
export function ScriptPicker(props: {
  client: ScriptForgeClient;
  trans: TranslationBundle;
  onPick: (script: IScript) => void;
}): JSX.Element {
  const { client, trans } = props;
  const [query, setQuery] = React.useState('');
  const [found, setFound] = React.useState<Found>({ kind: 'idle' });
  const [open, setOpen] = React.useState(false);

  React.useEffect(() => {
    if (!open) {
      return;
    }
    let cancelled = false;
    setFound(current =>
      current.kind === 'ready' ? current : { kind: 'searching' }
    );
    const timer = window.setTimeout(() => {
      client
        .listScripts({ q: query.trim(), limit: RESULTS })
        .then(
          page => !cancelled && setFound({ kind: 'ready', scripts: page.items })
        )
        .catch((reason: Error) => {
          if (!cancelled) {
            setFound({ kind: 'failed', message: reason.message });
          }
        });
    }, SEARCH_DELAY_MS);
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [client, query, open]);

  const pick = (script: IScript) => {
    props.onPick(script);
    setQuery('');
  };
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
          placeholder={trans.__('Add a script: type to search')}
          aria-label={trans.__('Search scripts to add')}
          value={query}
          onFocus={() => setOpen(true)}
          onChange={event => {
            setQuery(event.target.value);
            setOpen(true);
          }}
          onKeyDown={event => {
            if (event.key === 'Enter' && found.kind === 'ready') {
              const first = found.scripts[0];
              if (first) {
                pick(first);
              }
            } else if (event.key === 'Escape') {
              setOpen(false);
            }
          }}
        />
      </label>
      {open && (
        <ul
          className="jp-ScriptForge-pickerResults"
          aria-label={trans.__('Scripts to add')}
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
                  <addIcon.react tag="span" />
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
