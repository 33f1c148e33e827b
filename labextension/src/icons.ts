import { LabIcon } from '@jupyterlab/ui-components';

import forgeSvg from '../style/icons/forge.svg';

/** The ScriptForge mark: a page of code over an anvil. */
export const scriptForgeIcon = new LabIcon({
  name: 'jupyter-scriptforge:forge',
  svgstr: forgeSvg
});
