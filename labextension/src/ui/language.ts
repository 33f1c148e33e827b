/**
 * Syntax highlighting of a script in the CodeMirror views ScriptForge builds
 * itself (diffs, the assistant's review), from JupyterLab's language registry.
 */
import { Extension } from '@codemirror/state';
import { IEditorLanguageRegistry } from '@jupyterlab/codemirror';
import { PathExt } from '@jupyterlab/coreutils';

import { IScript } from '../client';

/** Python highlighting from JupyterLab's language registry. */
export async function languageOf(
  languages: IEditorLanguageRegistry | null,
  script: IScript
): Promise<Extension | null> {
  const found = await languages?.getLanguage(
    PathExt.extname(script.path) === '.py' ? 'python' : script.path
  );
  return found?.support ?? null;
}
