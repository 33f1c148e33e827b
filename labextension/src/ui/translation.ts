/**
 * ScriptForge's strings, in the user's language when JupyterLab has them.
 */
import {
  ITranslator,
  nullTranslator,
  TranslationBundle
} from '@jupyterlab/translation';

/** The translation domain of ScriptForge's strings. */
export const DOMAIN = 'jupyter_scriptforge';

/** ScriptForge's bundle of the translator, or the untranslated one. */
export function bundleOf(translator: ITranslator | null): TranslationBundle {
  return (translator ?? nullTranslator).load(DOMAIN);
}
