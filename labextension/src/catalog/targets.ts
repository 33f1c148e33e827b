/**
 * What a catalog command is about: the row right-clicked, or the row focused in
 * the catalog (a keyboard shortcut), when its arguments do not say.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { ReadonlyPartialJSONObject } from '@lumino/coreutils';

import { FOLDER_CLASS, ITEM_CLASS } from './rows';

/**
 * The script a command is about: its `id` argument, the catalog row right-clicked,
 * or the row focused in the catalog (a keyboard shortcut).
 */
export function scriptIdOf(
  app: JupyterFrontEnd,
  args: ReadonlyPartialJSONObject
): number | null {
  if (typeof args.id === 'number') {
    return args.id;
  }
  const node = scriptRowAt(app) ?? focusedRow();
  const id = Number(node?.dataset.scriptId);
  return Number.isInteger(id) ? id : null;
}

/** The catalog row of a script right-clicked, or null. */
export function scriptRowAt(app: JupyterFrontEnd): HTMLElement | null {
  return (
    app.contextMenuHitTest(el => el.classList.contains(ITEM_CLASS)) ?? null
  );
}

/** The folder of the catalog row right-clicked, or null. */
export function folderAt(app: JupyterFrontEnd): string | null {
  const row = app.contextMenuHitTest(el => el.classList.contains(FOLDER_CLASS));
  return row?.dataset.folder ?? null;
}

/** The catalog row under the keyboard focus, while the catalog has it. */
function focusedRow(): HTMLElement | null {
  const tree = document.activeElement?.closest('.jp-ScriptForge-tree');
  return (
    tree?.querySelector<HTMLElement>(`.${ITEM_CLASS}.jp-mod-focused`) ?? null
  );
}
