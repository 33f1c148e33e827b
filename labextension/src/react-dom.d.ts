/**
 * The one function of `react-dom` the extension calls. JupyterLab shares its own
 * react-dom (a singleton, never bundled); this checkout installs no @types/react-dom.
 */
declare module 'react-dom' {
  export function flushSync<R>(fn: () => R): R;
}
