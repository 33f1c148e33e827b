/**
 * How one row of the catalog looks: a folder, a script, "more", or a note.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import {
  caretDownIcon,
  caretRightIcon,
  folderIcon,
  pythonIcon,
  usersIcon
} from '@jupyterlab/ui-components';
import * as React from 'react';

import { IScript } from '../client';
import { TreeRow } from './tree';

/** The CSS class of a script row, which carries `data-script-id`. */
export const ITEM_CLASS = 'jp-ScriptForge-item';
/** The CSS class of a folder row, which carries `data-folder`. */
export const FOLDER_CLASS = 'jp-ScriptForge-folder';
const INDENT_PX = 14;
const SHOWN_TAGS = 2;

export interface IRowActions {
  open: (script: IScript) => void;
  toggle: (folder: string) => void;
  loadMore: (folder: string) => void;
  filterByTag: (tag: string) => void;
}

/** Where a script stands: never published, published as it is, or edited since. */
export function publishState(
  script: IScript
): 'draft' | 'published' | 'edited' {
  if (script.published_version_id === null) {
    return 'draft';
  }
  return script.published_version_id === script.head_version_id
    ? 'published'
    : 'edited';
}

export function CatalogRow(props: {
  row: TreeRow;
  id: string;
  focused: boolean;
  /** Show the script's folder: in search results, where there is no tree. */
  showFolder: boolean;
  trans: TranslationBundle;
  actions: IRowActions;
}): JSX.Element {
  const { row, trans, actions } = props;
  const indent = { paddingLeft: 4 + row.depth * INDENT_PX };
  const focus = props.focused ? ' jp-mod-focused' : '';
  switch (row.kind) {
    case 'folder': {
      const Caret = row.expanded ? caretDownIcon : caretRightIcon;
      return (
        <div
          id={props.id}
          className={`${FOLDER_CLASS}${focus}`}
          role="treeitem"
          aria-level={row.depth + 1}
          aria-expanded={row.expanded}
          data-folder={row.path}
          title={row.path}
          style={indent}
          onClick={() => actions.toggle(row.path)}
        >
          <Caret.react tag="span" className="jp-ScriptForge-caret" />
          <folderIcon.react tag="span" className="jp-ScriptForge-itemIcon" />
          <span className="jp-ScriptForge-itemName">{row.name}</span>
          <span className="jp-ScriptForge-count">{row.count}</span>
        </div>
      );
    }
    case 'script':
      return (
        <ScriptRow
          id={props.id}
          script={row.script}
          depth={row.depth}
          focused={props.focused}
          showFolder={props.showFolder}
          trans={trans}
          actions={actions}
        />
      );
    case 'more':
      return (
        <div
          id={props.id}
          className={`jp-ScriptForge-moreRow${focus}`}
          role="treeitem"
          aria-level={row.depth + 1}
          aria-busy={row.loading}
          style={indent}
        >
          {/* Not disabled while loading: a click then still asks for the page after
              what is shown (see useCatalogTree's loadMore). */}
          <button
            className="jp-ScriptForge-link"
            onClick={() => actions.loadMore(row.folder)}
          >
            {row.loading ? trans.__('Loading…') : trans.__('Show more')}
          </button>
        </div>
      );
    case 'note':
      return (
        <div
          id={props.id}
          className={`jp-ScriptForge-noteRow${focus}${row.error ? ' jp-mod-error' : ''}`}
          role={row.error ? 'alert' : 'treeitem'}
          aria-busy={!row.error}
          style={indent}
        >
          {row.text}
        </div>
      );
  }
}

function ScriptRow(props: {
  id: string;
  script: IScript;
  depth: number;
  focused: boolean;
  showFolder: boolean;
  trans: TranslationBundle;
  actions: IRowActions;
}): JSX.Element {
  const { script, trans, actions } = props;
  const state = publishState(script);
  const stateText = {
    draft: trans.__('draft'),
    published: trans.__('published'),
    edited: trans.__('edited')
  }[state];
  const stateTitle = {
    draft: trans.__('Draft: no version is published yet'),
    published: trans.__('Published: runs use the newest version'),
    edited: trans.__('Published, with newer unpublished versions')
  }[state];
  const extraTags = script.tags.length - SHOWN_TAGS;
  return (
    <div
      id={props.id}
      className={`${ITEM_CLASS}${props.focused ? ' jp-mod-focused' : ''}`}
      role="treeitem"
      aria-level={props.depth + 1}
      data-script-id={script.id}
      data-folder={script.folder}
      data-visibility={script.visibility}
      data-owner={script.owner}
      data-state={state}
      title={script.description || script.path}
      style={{ paddingLeft: 4 + props.depth * INDENT_PX + 14 }}
      onClick={() => actions.open(script)}
    >
      <pythonIcon.react tag="span" className="jp-ScriptForge-itemIcon" />
      <span className="jp-ScriptForge-itemName">{script.name}</span>
      {props.showFolder && script.folder && (
        <span className="jp-ScriptForge-itemFolder">{script.folder}</span>
      )}
      <span className="jp-ScriptForge-itemBadges">
        {script.tags.slice(0, SHOWN_TAGS).map(tag => (
          <button
            key={tag}
            className="jp-ScriptForge-tag"
            title={trans.__('Show scripts tagged “%1”', tag)}
            onClick={event => {
              event.stopPropagation();
              actions.filterByTag(tag);
            }}
          >
            {tag}
          </button>
        ))}
        {extraTags > 0 && (
          <span
            className="jp-ScriptForge-tag jp-mod-more"
            title={script.tags.slice(SHOWN_TAGS).join(', ')}
          >
            +{extraTags}
          </span>
        )}
        {script.interpreter && (
          <span
            className="jp-ScriptForge-interpreter"
            title={trans.__('Runs on %1', script.interpreter)}
          >
            {script.interpreter}
          </span>
        )}
        {script.visibility === 'team' && (
          <usersIcon.react
            tag="span"
            className="jp-ScriptForge-badge"
            title={trans.__('Shared with the team')}
          />
        )}
        <span
          className={`jp-ScriptForge-state jp-mod-${state}`}
          title={stateTitle}
        >
          {stateText}
        </span>
      </span>
    </div>
  );
}
