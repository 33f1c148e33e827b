/**
 * One version in the Version panel: what it is, its labels, and its actions.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import {
  checkIcon,
  closeIcon,
  tagIcon,
  ToolbarButtonComponent,
  undoIcon
} from '@jupyterlab/ui-components';
import * as React from 'react';

import { IVersion } from '../client';
import { diffIcon, publishIcon } from '../ui/icons';

/** What the panel's buttons do; each is a command too. */
export interface IVersionActions {
  compareWithWorkingCopy: (version: IVersion) => void;
  select: (version: IVersion) => void;
  compareWithSelected: (version: IVersion) => void;
  restore: (version: IVersion) => void;
  label: (version: IVersion) => void;
  removeLabel: (version: IVersion, label: string) => void;
  publish: (version: IVersion) => void;
  /** Whether the user may label, restore and publish (the write right). */
  canChange: () => boolean;
}

/** The CSS class of a version row, which carries `data-version-id`. */
export const VERSION_ROW_CLASS = 'jp-ScriptForge-versionRow';

export interface IVersionRowProps {
  version: IVersion;
  isHead: boolean;
  isPublished: boolean;
  /** The version picked for "Compare with…", if any. */
  selected: IVersion | null;
  trans: TranslationBundle;
  actions: IVersionActions;
  relativeTime: string;
  fullTime: string;
}

export function VersionRow(props: IVersionRowProps): JSX.Element {
  const { version, trans, actions, selected } = props;
  const name = `v${version.seq}`;
  const isSelected = selected?.id === version.id;
  const changes = actions.canChange();
  const classes = [VERSION_ROW_CLASS];
  if (isSelected) {
    classes.push('jp-mod-selected');
  }
  if (props.isPublished) {
    classes.push('jp-mod-published');
  }
  return (
    <li
      className={classes.join(' ')}
      data-version-id={version.id}
      data-seq={version.seq}
      aria-label={trans.__('Version %1', name)}
    >
      <div className="jp-ScriptForge-versionLine">
        <span className="jp-ScriptForge-versionSeq">{name}</span>
        {props.isHead && (
          <span
            className="jp-ScriptForge-versionMark jp-mod-head"
            title={trans.__('The newest version')}
          >
            {trans.__('head')}
          </span>
        )}
        {props.isPublished && (
          <span
            className="jp-ScriptForge-versionMark jp-mod-published"
            title={trans.__('The version others run by default')}
          >
            {trans.__('published')}
          </span>
        )}
        <span className="jp-ScriptForge-versionAuthor">{version.author}</span>
        <time
          className="jp-ScriptForge-versionTime"
          dateTime={version.created_at}
          title={props.fullTime}
        >
          {props.relativeTime}
        </time>
      </div>
      <div
        className={
          version.message
            ? 'jp-ScriptForge-versionMessage'
            : 'jp-ScriptForge-versionMessage jp-mod-empty'
        }
        title={version.message}
      >
        {version.message || trans.__('No message')}
      </div>
      {version.labels.length > 0 && (
        <ul
          className="jp-ScriptForge-chips"
          aria-label={trans.__('Labels of %1', name)}
        >
          {version.labels.map(label => (
            <li key={label} className="jp-ScriptForge-chip">
              <span className="jp-ScriptForge-chipText">{label}</span>
              {changes && (
                <button
                  className="jp-ScriptForge-chipRemove"
                  aria-label={trans.__('Remove label %1', label)}
                  title={trans.__('Remove label %1', label)}
                  onClick={() => actions.removeLabel(version, label)}
                >
                  <closeIcon.react tag="span" />
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <div
        className="jp-ScriptForge-versionActions"
        role="toolbar"
        aria-label={trans.__('Actions on %1', name)}
      >
        <ToolbarButtonComponent
          icon={diffIcon}
          className="jp-ScriptForge-compareWorkingCopy"
          tooltip={trans.__('Compare %1 with the working copy', name)}
          onClick={() => actions.compareWithWorkingCopy(version)}
        />
        {selected && !isSelected ? (
          <ToolbarButtonComponent
            icon={diffIcon}
            className="jp-ScriptForge-compareSelected"
            label={trans.__('v%1 ↔ %2', selected.seq, name)}
            tooltip={trans.__(
              'Compare %1 with the selected v%2',
              name,
              selected.seq
            )}
            onClick={() => actions.compareWithSelected(version)}
          />
        ) : (
          <ToolbarButtonComponent
            icon={checkIcon}
            className="jp-ScriptForge-selectForCompare"
            pressed={isSelected}
            tooltip={
              isSelected
                ? trans.__('%1 is selected for comparison', name)
                : trans.__('Select %1 to compare it with another version', name)
            }
            onClick={() => actions.select(version)}
          />
        )}
        {changes && (
          <ToolbarButtonComponent
            icon={tagIcon}
            className="jp-ScriptForge-labelVersion"
            tooltip={trans.__('Add a label to %1', name)}
            onClick={() => actions.label(version)}
          />
        )}
        {changes && !props.isHead && (
          <ToolbarButtonComponent
            icon={undoIcon}
            className="jp-ScriptForge-restoreVersion"
            tooltip={trans.__('Restore %1 as the newest version', name)}
            onClick={() => actions.restore(version)}
          />
        )}
        {changes && !props.isPublished && (
          <ToolbarButtonComponent
            icon={publishIcon}
            className="jp-ScriptForge-publishVersion"
            tooltip={trans.__('Publish %1', name)}
            onClick={() => actions.publish(version)}
          />
        )}
      </div>
    </li>
  );
}
