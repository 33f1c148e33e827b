/**
 * The header of a ScriptForge panel or section: its title, and the toolbar of
 * its buttons when it has any.
 */
import * as React from 'react';

export function PanelHeader(props: {
  title: React.ReactNode;
  /** The toolbar's buttons; no toolbar without them. */
  children?: React.ReactNode;
}): JSX.Element {
  return (
    <div className="jp-ScriptForge-header">
      <h2 className="jp-ScriptForge-title">{props.title}</h2>
      {props.children !== undefined && (
        <div className="jp-ScriptForge-toolbar">{props.children}</div>
      )}
    </div>
  );
}
