/**
 * The icons of ScriptForge, shared by its features.
 */
import { LabIcon } from '@jupyterlab/ui-components';

import assistantSvg from '../../style/icons/assistant.svg';
import forgeSvg from '../../style/icons/forge.svg';

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

/** Two panes, one line taken out, one put in: a diff. */
export const diffIcon = new LabIcon({
  name: 'jupyter-scriptforge:diff',
  svgstr:
    '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">' +
    '<g class="jp-icon3" fill="#616161">' +
    '<path d="M3 3h8v18H3zm2 2v14h4V5zm8-2h8v18h-8zm2 2v14h4V5z"/>' +
    '<path d="M5.5 11.25h4v1.5h-4zm10 0h4v1.5h-4zm1.25-1.25h1.5v4h-1.5z"/>' +
    '</g></svg>'
});

/** An arrow out of a tray: publish. */
export const publishIcon = new LabIcon({
  name: 'jupyter-scriptforge:publish',
  svgstr:
    '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">' +
    '<g class="jp-icon3" fill="#616161">' +
    '<path d="M11 16V7.8l-3.6 3.6L6 10l6-6 6 6-1.4 1.4L13 7.8V16z"/>' +
    '<path d="M4 15h2v3h12v-3h2v5H4z"/>' +
    '</g></svg>'
});

/** A camera shutter-like dot in a frame: snapshot. */
export const snapshotIcon = new LabIcon({
  name: 'jupyter-scriptforge:snapshot',
  svgstr:
    '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">' +
    '<g class="jp-icon3" fill="#616161">' +
    '<path d="M9 4 7.2 6H4a2 2 0 0 0-2 2v10a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2V8a2 2 0 0 0-2-2h-3.2L15 4zM4 8h16v10H4z"/>' +
    '<path d="M12 9a4 4 0 1 1 0 8 4 4 0 0 1 0-8zm0 2a2 2 0 1 0 0 4 2 2 0 0 0 0-4z"/>' +
    '</g></svg>'
});
