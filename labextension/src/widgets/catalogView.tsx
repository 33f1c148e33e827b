import { TranslationBundle } from '@jupyterlab/translation';
import {
  addIcon,
  pythonIcon,
  refreshIcon,
  searchIcon,
  ToolbarButtonComponent,
  usersIcon
} from '@jupyterlab/ui-components';
import * as React from 'react';

import { IScript, IScriptPage, ScriptForgeClient } from '../client';
import { ErrorNote, LoadingNote } from './notes';

const PAGE_SIZE = 50;
const SEARCH_DELAY_MS = 250;

type ListState =
  | { kind: 'loading' }
  | { kind: 'ready'; page: IScriptPage; more: boolean }
  | { kind: 'failed'; message: string };

export interface ICatalogViewProps {
  client: ScriptForgeClient;
  trans: TranslationBundle;
  /** Changes when the list must be fetched again. */
  refreshToken: number;
  onOpen: (script: IScript) => void;
  onNew: () => void;
  onRefresh: () => void;
}

/** The catalog: search, the scripts this user may see, and their state. */
export function CatalogView(props: ICatalogViewProps): JSX.Element {
  const { client, trans, refreshToken } = props;
  const [query, setQuery] = React.useState('');
  const [debounced, setDebounced] = React.useState('');
  const [state, setState] = React.useState<ListState>({ kind: 'loading' });

  React.useEffect(() => {
    const timer = window.setTimeout(
      () => setDebounced(query.trim()),
      SEARCH_DELAY_MS
    );
    return () => window.clearTimeout(timer);
  }, [query]);

  React.useEffect(() => {
    let cancelled = false;
    client
      .listScripts({ q: debounced, limit: PAGE_SIZE })
      .then(page => {
        if (!cancelled) {
          setState({ kind: 'ready', page, more: false });
        }
      })
      .catch((reason: Error) => {
        if (!cancelled) {
          setState({ kind: 'failed', message: reason.message });
        }
      });
    return () => {
      cancelled = true;
    };
  }, [client, debounced, refreshToken]);

  const loadMore = async (page: IScriptPage) => {
    setState({ kind: 'ready', page, more: true });
    try {
      const next = await client.listScripts({
        q: debounced,
        limit: PAGE_SIZE,
        cursor: page.next_cursor
      });
      setState({
        kind: 'ready',
        page: {
          items: [...page.items, ...next.items],
          next_cursor: next.next_cursor
        },
        more: false
      });
    } catch (reason) {
      setState({ kind: 'failed', message: (reason as Error).message });
    }
  };

  return (
    <>
      <div className="jp-ScriptForge-header">
        <h2 className="jp-ScriptForge-title">{trans.__('Scripts')}</h2>
        <div className="jp-ScriptForge-toolbar">
          <ToolbarButtonComponent
            icon={addIcon}
            tooltip={trans.__('New Script')}
            onClick={props.onNew}
          />
          <ToolbarButtonComponent
            icon={refreshIcon}
            tooltip={trans.__('Refresh')}
            onClick={props.onRefresh}
          />
        </div>
      </div>
      <label className="jp-ScriptForge-search">
        <searchIcon.react tag="span" className="jp-ScriptForge-searchIcon" />
        <input
          type="search"
          placeholder={trans.__('Search scripts and code')}
          aria-label={trans.__('Search scripts')}
          value={query}
          onChange={event => setQuery(event.target.value)}
        />
      </label>
      <ScriptList
        state={state}
        query={debounced}
        trans={trans}
        onOpen={props.onOpen}
        onNew={props.onNew}
        onMore={loadMore}
      />
    </>
  );
}

function ScriptList(props: {
  state: ListState;
  query: string;
  trans: TranslationBundle;
  onOpen: (script: IScript) => void;
  onNew: () => void;
  onMore: (page: IScriptPage) => void;
}): JSX.Element {
  const { state, trans } = props;
  if (state.kind === 'loading') {
    return <LoadingNote>{trans.__('Loading scripts…')}</LoadingNote>;
  }
  if (state.kind === 'failed') {
    return <ErrorNote message={state.message} />;
  }
  const { items, next_cursor } = state.page;
  if (items.length === 0) {
    return props.query ? (
      <div className="jp-ScriptForge-empty">
        <p>{trans.__('No scripts match “%1”.', props.query)}</p>
      </div>
    ) : (
      <div className="jp-ScriptForge-empty">
        <p>{trans.__('No scripts yet.')}</p>
        <p>
          {trans.__(
            'Create one, or save a .py file in the scripts folder: every save becomes a version.'
          )}
        </p>
        <button className="jp-mod-styled jp-mod-accept" onClick={props.onNew}>
          {trans.__('New Script')}
        </button>
      </div>
    );
  }
  return (
    <>
      <ul className="jp-ScriptForge-list" aria-label={trans.__('Scripts')}>
        {items.map(script => (
          <ScriptItem
            key={script.id}
            script={script}
            trans={trans}
            onOpen={props.onOpen}
          />
        ))}
      </ul>
      {next_cursor && (
        <button
          className="jp-mod-styled jp-ScriptForge-more"
          disabled={state.more}
          onClick={() => props.onMore(state.page)}
        >
          {state.more ? trans.__('Loading…') : trans.__('Show more')}
        </button>
      )}
    </>
  );
}

function ScriptItem(props: {
  script: IScript;
  trans: TranslationBundle;
  onOpen: (script: IScript) => void;
}): JSX.Element {
  const { script, trans } = props;
  const open = () => props.onOpen(script);
  return (
    <li
      className="jp-ScriptForge-item"
      data-script-id={script.id}
      data-visibility={script.visibility}
      title={script.description || script.path}
      tabIndex={0}
      onClick={open}
      onKeyDown={event => event.key === 'Enter' && open()}
    >
      <pythonIcon.react tag="span" className="jp-ScriptForge-itemIcon" />
      <span className="jp-ScriptForge-itemText">
        <span className="jp-ScriptForge-itemName">{script.name}</span>
        {script.folder && (
          <span className="jp-ScriptForge-itemFolder">{script.folder}</span>
        )}
        {script.tags.length > 0 && (
          <span className="jp-ScriptForge-tags">
            {script.tags.map(tag => (
              <span key={tag} className="jp-ScriptForge-tag">
                {tag}
              </span>
            ))}
          </span>
        )}
      </span>
      {script.visibility === 'team' && (
        <usersIcon.react
          tag="span"
          className="jp-ScriptForge-badge"
          title={trans.__('Shared with the team')}
        />
      )}
      {script.published_version_id !== null && (
        <span
          className="jp-ScriptForge-published"
          title={trans.__('Published')}
        >
          {trans.__('published')}
        </span>
      )}
    </li>
  );
}
