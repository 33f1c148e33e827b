/**
 * The toolbar label of a file of the `sources:` drive: whose file it is (the
 * interpreter) and where it is, on this machine or in the interpreter's image.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { sourceOf } from './sourcesDrive';

/** A toolbar label saying whose file this is and where it is. */
export function sourceLabel(
  localPath: string,
  trans: TranslationBundle
): Widget {
  const { interpreter, file } = sourceOf(localPath);
  const label = new Widget();
  label.addClass('jp-ScriptForge-sourceLabel');
  label.node.textContent = trans.__('%1 · %2', interpreter, file);
  label.node.title = trans.__(
    'A source file of the interpreter %1 (%2), opened by go to definition; read-only.',
    interpreter,
    file
  );
  return label;
}
