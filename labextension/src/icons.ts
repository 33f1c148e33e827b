import { LabIcon } from '@jupyterlab/ui-components';

import assistantSvg from '../style/icons/assistant.svg';
import forgeSvg from '../style/icons/forge.svg';

/** The ScriptForge mark: a page of code over an anvil. */
export const scriptForgeIcon = new LabIcon({
  name: 'jupyter-scriptforge:forge',
  svgstr: forgeSvg
});

/** The assistant: sparkles. */
export const assistantIcon = new LabIcon({
  name: 'jupyter-scriptforge:assistant',
  svgstr: assistantSvg
});
