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

import { Right } from '../client';
import { IScriptsPanel, IUserRights } from '../tokens';

/** A command, and where it shows besides the places that call it. */
export interface ICommandSpec extends CommandRegistry.ICommandOptions {
  /** Listed in the command palette, in the ScriptForge category. */
  palette?: boolean;
  /** An entry of the context menu of the elements `selector` matches. */
  menu?: { selector: string; rank: number };
  /** The right the command needs: hidden (in menus, the palette) without it. */
  needs?: Right;
}

/**
 * Add commands, keyed by their ids, in order, with their palette and
 * context-menu entries; a command that `needs` a right the user lacks
 * (`rights`) is neither visible nor enabled.
 */
export function addCommands(
  app: JupyterFrontEnd,
  palette: ICommandPalette | null,
  trans: TranslationBundle,
  specs: Record<string, ICommandSpec>,
  rights: IUserRights | null = null
): void {
  const category = trans.__('ScriptForge');
  for (const [command, spec] of Object.entries(specs)) {
    const { palette: listed, menu, needs, ...options } = spec;
    if (needs && rights) {
      const { isVisible, isEnabled } = options;
      options.isVisible = args =>
        rights.may(needs) && (isVisible ? isVisible(args) : true);
      options.isEnabled = args =>
        rights.may(needs) && (isEnabled ? isEnabled(args) : true);
    }
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
