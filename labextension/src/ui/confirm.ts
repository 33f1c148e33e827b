/**
 * Asking before something is deleted, in JupyterLab's dialog.
 */
import { Dialog, showDialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';

/** True once the user chose Delete in a dialog titled `title` saying `body`. */
export async function confirmDelete(
  trans: TranslationBundle,
  title: string,
  body: string
): Promise<boolean> {
  const answer = await showDialog({
    title,
    body,
    buttons: [
      Dialog.cancelButton(),
      Dialog.warnButton({ label: trans.__('Delete') })
    ]
  });
  return answer.button.accept;
}
