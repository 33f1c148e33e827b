/**
 * Snapshot: record the editor's text (saved or not) as a version with a message.
 */
import { InputDialog, Notification } from '@jupyterlab/apputils';
import { Contents } from '@jupyterlab/services';
import { TranslationBundle } from '@jupyterlab/translation';

import { IScript, IScriptForgeClient } from '../client';
import { EditorWidget, editorText } from '../tokens';
import { tryOrShowError } from '../ui/errors';
import { reloadWhenWritten } from './editorSync';

/** Ask for a message, then record the editor's content. → whether a version was made. */
export async function snapshot(
  client: IScriptForgeClient,
  contents: Contents.IManager,
  trans: TranslationBundle,
  widget: EditorWidget,
  script: IScript
): Promise<boolean> {
  const answer = await InputDialog.getText({
    title: trans.__('Snapshot of %1', widget.context.localPath),
    label: trans.__('What changed?'),
    placeholder: trans.__('e.g. Handle empty input files'),
    okLabel: trans.__('Snapshot')
  });
  if (!answer.button.accept) {
    return false;
  }
  const content = editorText(widget);
  const unsaved = widget.context.model.dirty;
  const saved = await tryOrShowError(trans.__('Cannot take a snapshot'), () =>
    client.versions.save(script.id, {
      content,
      message: answer.value?.trim() ?? ''
    })
  );
  if (saved === undefined) {
    return false;
  }
  if (!saved.created) {
    Notification.info(
      trans.__(
        'Nothing changed since v%1: no snapshot recorded.',
        saved.version.seq
      ),
      { autoClose: 4000 }
    );
    return false;
  }
  Notification.success(trans.__('Snapshot v%1 recorded.', saved.version.seq), {
    autoClose: 4000
  });
  // The server writes the snapshot into the working copy; the editor then
  // matches the file and is no longer dirty.
  if (unsaved) {
    void reloadWhenWritten(widget, contents, content);
  }
  return true;
}
