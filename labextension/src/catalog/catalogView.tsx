/**
 * The catalog part of the Scripts sidebar: its header, the search and tag
 * filter, and the folder tree or the scripts a search or a tag finds.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import {
  addIcon,
  collapseAllIcon,
  HTMLSelect,
  refreshIcon,
  searchIcon,
  ToolbarButtonComponent
} from '@jupyterlab/ui-components';
import * as React from 'react';

import { IScript, IScriptForgeClient, ITagCount } from '../client';
import { PanelHeader } from '../ui/header';
import { ErrorNote, LoadingNote } from '../ui/notes';
import { CatalogRow, IRowActions } from './rows';
import { TreeRow, treeRows } from './tree';
import { useCatalogTree } from './useCatalogTree';
import { useScriptSearch } from './useScriptSearch';
import { VirtualTree } from './virtualTree';

export interface ICatalogViewProps {
  client: IScriptForgeClient;
  trans: TranslationBundle;
  /** Changes when the catalog must be fetched again. */
  refreshToken: number;
  /** A catalog of at most this many scripts shows with every folder open. */
  openFoldersUpTo: number;
  /** The tag to filter by, when set from outside (a command); "" shows all. */
  tag: string;
  onTagChange: (tag: string) => void;
  onOpen: (script: IScript) => void;
  /** Absent when the user may not create scripts. */
  onNew?: () => void;
  onRefresh: () => void;
}

/** The catalog: a folder tree, or the scripts matching a search or a tag. */
export function CatalogView(props: ICatalogViewProps): JSX.Element {
  const { client, trans, refreshToken, tag } = props;
  const [query, setQuery] = React.useState('');
  const text = query.trim();

  const filtering = text !== '' || tag !== '';
  const tree = useCatalogTree(
    client,
    refreshToken,
    !filtering,
    props.openFoldersUpTo
  );
  const search = useScriptSearch(client, text, tag, refreshToken);
  const tags = useTags(client, refreshToken);

  const actions: IRowActions = {
    open: props.onOpen,
    toggle: folder => tree.toggle(folder),
    loadMore: folder =>
      folder === SEARCH_RESULTS ? search.loadMore() : tree.loadMore(folder),
    filterByTag: props.onTagChange
  };

  return (
    <>
      <PanelHeader title={trans.__('Scripts')}>
        {props.onNew && (
          <ToolbarButtonComponent
            icon={addIcon}
            tooltip={trans.__('New Script')}
            onClick={props.onNew}
          />
        )}
        <ToolbarButtonComponent
          icon={collapseAllIcon}
          tooltip={trans.__('Collapse All Folders')}
          onClick={tree.collapseAll}
          enabled={!filtering}
        />
        <ToolbarButtonComponent
          icon={refreshIcon}
          tooltip={trans.__('Refresh')}
          onClick={props.onRefresh}
        />
      </PanelHeader>
      <div className="jp-ScriptForge-filters">
        <label className="jp-ScriptForge-search">
          <searchIcon.react tag="span" className="jp-ScriptForge-searchIcon" />
          <input
            type="search"
            placeholder={trans.__('Search scripts and code')}
            aria-label={trans.__('Search scripts')}
            value={query}
            onChange={event => setQuery(event.target.value)}
            onKeyDown={event => {
              if (event.key === 'Escape') {
                setQuery('');
              }
            }}
          />
        </label>
        <HTMLSelect
          className="jp-ScriptForge-tagFilter"
          aria-label={trans.__('Filter by tag')}
          value={tag}
          onChange={event => props.onTagChange(event.target.value)}
        >
          <option value="">{trans.__('All tags')}</option>
          {withCurrent(tags, tag).map(({ tag: name, scripts }) => (
            <option key={name} value={name}>
              {scripts > 0 ? `${name} (${scripts})` : name}
            </option>
          ))}
        </HTMLSelect>
      </div>
      {filtering ? (
        <SearchResults state={search.state} trans={trans} actions={actions} />
      ) : (
        <FolderTree
          tree={tree}
          trans={trans}
          actions={actions}
          onNew={props.onNew}
        />
      )}
    </>
  );
}

/** The "folder" of the search results' "more" row. */
const SEARCH_RESULTS = '\u0000search';

function FolderTree(props: {
  tree: ReturnType<typeof useCatalogTree>;
  trans: TranslationBundle;
  actions: IRowActions;
  /** Absent when the user may not create scripts. */
  onNew?: () => void;
}): JSX.Element {
  const { tree, trans, actions } = props;
  const { state } = tree;
  const rows = React.useMemo(
    () =>
      state.kind === 'ready'
        ? treeRows(
            state.folders,
            state.loaded,
            state.expanded,
            trans.__('Loading…')
          )
        : [],
    [state, trans]
  );
  if (state.kind === 'loading') {
    return <LoadingNote>{trans.__('Loading scripts…')}</LoadingNote>;
  }
  if (state.kind === 'failed') {
    return <ErrorNote message={state.message} />;
  }
  if (rows.length === 0) {
    return (
      <div className="jp-ScriptForge-empty">
        <p>{trans.__('No scripts yet.')}</p>
        <p>
          {trans.__(
            'Create one, or save a .py file in the scripts folder: every save becomes a version.'
          )}
        </p>
        {props.onNew && (
          <button className="jp-mod-styled jp-mod-accept" onClick={props.onNew}>
            {trans.__('New Script')}
          </button>
        )}
      </div>
    );
  }
  return (
    <CatalogTree
      rows={rows}
      showFolder={false}
      trans={trans}
      actions={actions}
      onExpand={(row, open) => {
        if (row.kind !== 'folder' || row.expanded === open) {
          return false;
        }
        tree.toggle(row.path, open);
        return true;
      }}
    />
  );
}

function SearchResults(props: {
  state: ReturnType<typeof useScriptSearch>['state'];
  trans: TranslationBundle;
  actions: IRowActions;
}): JSX.Element {
  const { state, trans, actions } = props;
  const rows = React.useMemo((): TreeRow[] => {
    if (state.kind !== 'ready') {
      return [];
    }
    const found: TreeRow[] = state.items.map(script => ({
      kind: 'script',
      script,
      depth: 0
    }));
    if (state.moreError !== null) {
      found.push({
        kind: 'note',
        folder: SEARCH_RESULTS,
        text: state.moreError,
        depth: 0,
        error: true
      });
    } else if (state.next !== null) {
      found.push({
        kind: 'more',
        folder: SEARCH_RESULTS,
        depth: 0,
        loading: state.loadingMore
      });
    }
    return found;
  }, [state]);
  if (state.kind === 'loading' || state.kind === 'idle') {
    return <LoadingNote>{trans.__('Searching…')}</LoadingNote>;
  }
  if (state.kind === 'failed') {
    return <ErrorNote message={state.message} />;
  }
  if (rows.length === 0) {
    return (
      <div className="jp-ScriptForge-empty">
        <p>
          {state.text
            ? trans.__('No scripts match “%1”.', state.text)
            : trans.__('No scripts are tagged “%1”.', state.tag)}
        </p>
      </div>
    );
  }
  return (
    <CatalogTree
      rows={rows}
      busy={state.searching}
      showFolder={true}
      trans={trans}
      actions={actions}
      onExpand={() => false}
      onNearEnd={actions.loadMore.bind(null, SEARCH_RESULTS)}
    />
  );
}

function CatalogTree(props: {
  rows: TreeRow[];
  /** The rows are about to be replaced by a newer answer. */
  busy?: boolean;
  showFolder: boolean;
  trans: TranslationBundle;
  actions: IRowActions;
  onExpand: (row: TreeRow, open: boolean) => boolean;
  onNearEnd?: () => void;
}): JSX.Element {
  const { trans, actions, showFolder } = props;
  const render = React.useCallback(
    (row: TreeRow, focused: boolean, id: string) => (
      <CatalogRow
        row={row}
        id={id}
        focused={focused}
        showFolder={showFolder}
        trans={trans}
        actions={actions}
      />
    ),
    [showFolder, trans, actions]
  );
  return (
    <VirtualTree
      rows={props.rows}
      busy={props.busy ?? false}
      label={trans.__('Scripts')}
      keyOf={rowKey}
      render={render}
      onActivate={row => {
        if (row.kind === 'script') {
          actions.open(row.script);
        } else if (row.kind === 'folder') {
          actions.toggle(row.path);
        } else if (row.kind === 'more') {
          actions.loadMore(row.folder);
        }
      }}
      onExpand={props.onExpand}
      onNearEnd={props.onNearEnd}
    />
  );
}

function rowKey(row: TreeRow): string {
  switch (row.kind) {
    case 'folder':
      return `folder:${row.path}`;
    case 'script':
      return `script:${row.script.id}`;
    case 'more':
      return `more:${row.folder}`;
    case 'note':
      return `note:${row.folder}`;
  }
}

/** The tags of the catalog with their counts, fetched again on refresh. */
function useTags(
  client: IScriptForgeClient,
  refreshToken: number
): ITagCount[] {
  const [tags, setTags] = React.useState<ITagCount[]>([]);
  React.useEffect(() => {
    let cancelled = false;
    client.scripts
      .tags()
      .then(found => !cancelled && setTags(found))
      // The filter is a convenience: without tags it offers "All tags" only.
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [client, refreshToken]);
  return tags;
}

/** The tags, with the chosen one kept even when no script carries it any more. */
function withCurrent(tags: ITagCount[], current: string): ITagCount[] {
  return current === '' || tags.some(t => t.tag === current)
    ? tags
    : [...tags, { tag: current, scripts: 0 }];
}
