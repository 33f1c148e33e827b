/**
 * A failure the user should read: shown in JupyterLab's error dialog, never
 * thrown at whoever asked (a command, a button).
 */
import { showErrorMessage } from '@jupyterlab/apputils';

/**
 * Run `action`; if it fails, show the error in a dialog titled `title` and
 * resolve `undefined` once the dialog is closed.
 */
export async function tryOrShowError<T>(
  title: string,
  action: () => Promise<T>
): Promise<T | undefined> {
  try {
    return await action();
  } catch (reason) {
    await showErrorMessage(title, reason as Error);
    return undefined;
  }
}
