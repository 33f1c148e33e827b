/**
 * Keep an open editor in step with its working copy after the server rewrote it
 * (a restore, a snapshot or a merge moves the head, and the file follows it).
 */
import { Contents } from '@jupyterlab/services';

import { EditorWidget, editorText, SyncOutcome } from '../tokens';

const POLL_MS = 200;
const WAIT_MS = 5000;

/**
 * Wait until the file holds `expected` (the server writes it a moment after its
 * answer), then reload the editor, unless it holds other unsaved edits.
 *
 * Never rejects: a failure is logged and comes back as `'failed'`, so callers
 * (often fire-and-forget) neither leak a rejection nor mistake it for their own.
 */
export async function reloadWhenWritten(
  widget: EditorWidget,
  contents: Contents.IManager,
  expected: string
): Promise<SyncOutcome> {
  try {
    return await waitAndReload(widget, contents, expected);
  } catch (reason) {
    console.warn(
      `ScriptForge: cannot reload ${widget.context.path} after the server rewrote it`,
      reason
    );
    return 'failed';
  }
}

async function waitAndReload(
  widget: EditorWidget,
  contents: Contents.IManager,
  expected: string
): Promise<SyncOutcome> {
  const { context } = widget;
  const before = editorText(widget);
  const deadline = Date.now() + WAIT_MS;
  let written = false;
  while (!written && Date.now() < deadline && !widget.isDisposed) {
    await new Promise(resolve => window.setTimeout(resolve, POLL_MS));
    const model = await contents.get(context.path, {
      type: 'file',
      format: 'text',
      content: true
    });
    written = model.content === expected;
  }
  if (widget.isDisposed || !written) {
    return 'unchanged';
  }
  // Typing meanwhile (or unsaved edits other than `expected`) must not be lost.
  const text = editorText(widget);
  if (context.model.dirty && (text !== before || text !== expected)) {
    return 'kept-edits';
  }
  await reload(widget);
  return 'reloaded';
}

/**
 * Reload a clean editor whose file the server rewrote meanwhile (JupyterLab does
 * not watch files): the user sees the working copy as it is.
 */
export async function reloadIfStale(
  widget: EditorWidget,
  contents: Contents.IManager
): Promise<void> {
  const { context } = widget;
  const known = context.contentsModel?.hash;
  if (!known || context.model.dirty) {
    return;
  }
  const disk = await contents.get(context.path, { content: false, hash: true });
  if (disk.hash && disk.hash !== known && !context.model.dirty) {
    await reload(widget);
  }
}

/** Load the file into the editor; it then matches the disk, so it is clean. */
async function reload(widget: EditorWidget): Promise<void> {
  await widget.context.revert();
  // revert() leaves the flag alone when the text did not change (a snapshot).
  widget.context.model.dirty = false;
}
