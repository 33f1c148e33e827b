/**
 * How a feature adds its commands: each with its palette entry and context-menu
 * entry in one place, instead of `addCommand`, then `palette.addItem` and
 * `contextMenu.addItem` apart.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';
import { ReadonlyPartialJSONObject } from '@lumino/coreutils';

import { IScriptsPanel } from '../tokens';

/** A command, and where it shows besides the places that call it. */
export interface ICommandSpec extends CommandRegistry.ICommandOptions {
  /** Listed in the command palette, in the ScriptForge category. */
  palette?: boolean;
  /** An entry of the context menu of the elements `selector` matches. */
  menu?: { selector: string; rank: number };
}

/**
 * Add commands, keyed by their ids, in order, with their palette and
 * context-menu entries.
 */
export function addCommands(
  app: JupyterFrontEnd,
  palette: ICommandPalette | null,
  trans: TranslationBundle,
  specs: Record<string, ICommandSpec>
): void {
  const category = trans.__('ScriptForge');
  for (const [command, spec] of Object.entries(specs)) {
    const { palette: listed, menu, ...options } = spec;
    app.commands.addCommand(command, options);
    if (listed) {
      palette?.addItem({ command, category });
    }
    if (menu) {
      app.contextMenu.addItem({ command, ...menu });
    }
  }
}

/** The argument schema of a command that takes one number. */
export function numberArg(
  name: string,
  description: string
): CommandRegistry.ICommandOptions['describedBy'] {
  return {
    args: {
      type: 'object',
      properties: { [name]: { type: 'number', description } }
    }
  };
}

/**
 * The script a command is for: its `id` argument, or else the row of the
 * Scripts sidebar it was invoked on.
 */
export function scriptIdArg(
  scripts: IScriptsPanel | null,
  args: ReadonlyPartialJSONObject
): number | null {
  if (scripts) {
    return scripts.scriptIdOf(args);
  }
  return typeof args.id === 'number' ? args.id : null;
}
