/**
 * The notes a panel shows in place of its content: loading, or an error.
 */
import * as React from 'react';

/** Shown while something is on its way from the server. */
export function LoadingNote(props: { children: React.ReactNode }): JSX.Element {
  return (
    <div className="jp-ScriptForge-loading" aria-busy="true">
      {props.children}
    </div>
  );
}

/** An error the user should read, announced to screen readers. */
export function ErrorNote(props: { message: string }): JSX.Element {
  return (
    <div className="jp-ScriptForge-error" role="alert">
      {props.message}
    </div>
  );
}
