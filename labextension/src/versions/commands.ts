/**
 * The version commands: the panel's buttons and context menu, and the palette.
 */
import { ICommandPalette, InputDialog } from '@jupyterlab/apputils';
import { CommandRegistry } from '@lumino/commands';
import { ReadonlyPartialJSONObject } from '@lumino/coreutils';

import { IScript, IVersion } from '../client';
import { CommandIDs, editorQuery, editorText } from '../tokens';
import { addCommands } from '../ui/commands';
import { tryOrShowError } from '../ui/errors';
import {
  compareVersions,
  compareWithWorkingCopy,
  IVersionsContext,
  labelVersion,
  removeLabel,
  restoreVersion,
  versionName
} from './actions';
import { VersionsModel } from './model';
import { publishVersion } from './publish';
import { IVersionActions, VERSION_ROW_CLASS } from './versionRow';

const VERSION_ARGS = {
  type: 'object',
  properties: {
    versionId: {
      type: 'number',
      description: 'The version id; by default the row right-clicked'
    }
  }
};

/**
 * Add the version commands and their context-menu entries.
 *
 * @param showPanel - brings the Version panel to the front
 */
export function addVersionCommands(
  ctx: IVersionsContext,
  palette: ICommandPalette | null,
  model: VersionsModel,
  showPanel: () => void
): void {
  const { app, trans, tracker, client } = ctx;
  /** On a version row, in this place of its context menu. */
  const rowMenu = (rank: number) => ({
    selector: `.${VERSION_ROW_CLASS}`,
    rank
  });

  /** The version a command is about: its `versionId`, or the row right-clicked. */
  const target = (args: ReadonlyPartialJSONObject): IVersion | null => {
    let id = typeof args.versionId === 'number' ? args.versionId : NaN;
    if (Number.isNaN(id)) {
      const node = app.contextMenuHitTest(el =>
        el.classList.contains(VERSION_ROW_CLASS)
      );
      id = Number(node?.dataset.versionId);
    }
    return Number.isInteger(id) ? model.find(id) : null;
  };

  /** Run `action` on the target version of the shown script. */
  const onVersion =
    (action: (script: IScript, version: IVersion) => Promise<void> | void) =>
    async (args: ReadonlyPartialJSONObject) => {
      const script = model.script;
      const version = target(args);
      if (script && version) {
        await action(script, version);
      }
    };
  const hasScript = () => model.script !== null;

  /** Let the user pick a version of the shown history. */
  const pick = async (title: string): Promise<IVersion | null> => {
    const state = model.state;
    if (state.kind !== 'ready' || state.versions.length === 0) {
      return null;
    }
    const items = state.versions.map(
      v => `${versionName(v)} · ${v.author} · ${v.message || '—'}`
    );
    const answer = await InputDialog.getItem({ title, items });
    const index = items.indexOf(answer.value ?? '');
    return answer.button.accept && index >= 0 ? state.versions[index] : null;
  };

  addCommands(
    app,
    palette,
    trans,
    {
      [CommandIDs.openVersions]: {
        palette: true,
        label: trans.__('Show Versions'),
        caption: trans.__('Show the history of the script in the editor'),
        execute: showPanel
      },

      [CommandIDs.compareWithWorkingCopy]: {
        palette: true,
        menu: rowMenu(0),
        label: args =>
          args.versionId === undefined && !target(args)
            ? trans.__('Compare Head with Working Copy')
            : trans.__('Compare with Working Copy'),
        caption: trans.__('Diff a version with the editor’s current text'),
        describedBy: { args: VERSION_ARGS },
        isEnabled: hasScript,
        execute: async args => {
          const script = model.script;
          const state = model.state;
          // From the palette: the head against the unsaved text.
          const version =
            target(args) ?? (state.kind === 'ready' ? state.versions[0] : null);
          if (script && version) {
            await compareWithWorkingCopy(ctx, script, version);
          }
        }
      },

      [CommandIDs.selectForCompare]: {
        menu: rowMenu(1),
        label: trans.__('Select for Compare'),
        caption: trans.__('Pick this version as one side of a comparison'),
        describedBy: { args: VERSION_ARGS },
        isToggled: args => {
          const version = target(args);
          return version !== null && model.selected?.id === version.id;
        },
        execute: onVersion((_, version) => {
          model.selected = model.selected?.id === version.id ? null : version;
        })
      },

      [CommandIDs.compareWithSelected]: {
        menu: rowMenu(2),
        label: () =>
          model.selected
            ? trans.__(
                'Compare with Selected (%1)',
                versionName(model.selected)
              )
            : trans.__('Compare with Selected'),
        caption: trans.__(
          'Diff this version with the one selected for compare'
        ),
        describedBy: { args: VERSION_ARGS },
        isEnabled: args => {
          const version = target(args);
          return (
            model.selected !== null &&
            (version === null || version.id !== model.selected.id)
          );
        },
        execute: onVersion(async (script, version) => {
          const selected = model.selected;
          if (selected && selected.id !== version.id) {
            model.selected = null;
            await compareVersions(ctx, script, selected, version);
          }
        })
      },

      [CommandIDs.compareVersions]: {
        palette: true,
        label: trans.__('Compare Versions…'),
        caption: trans.__('Diff two versions of the script in the editor'),
        describedBy: {
          args: {
            type: 'object',
            properties: {
              from: { type: 'number', description: 'A version id' },
              to: { type: 'number', description: 'Another version id' }
            }
          }
        },
        isEnabled: hasScript,
        execute: async args => {
          const script = model.script;
          if (!script) {
            return;
          }
          let a = typeof args.from === 'number' ? model.find(args.from) : null;
          let b = typeof args.to === 'number' ? model.find(args.to) : null;
          a = a ?? (await pick(trans.__('Compare: the first version')));
          if (!a) {
            return;
          }
          b =
            b ??
            (await pick(
              trans.__('Compare %1 with which version?', versionName(a))
            ));
          if (b) {
            await compareVersions(ctx, script, a, b);
          }
        }
      },

      [CommandIDs.restoreVersion]: {
        needs: 'write',
        menu: rowMenu(3),
        label: trans.__('Restore This Version…'),
        caption: trans.__('Record a new version with this version’s content'),
        describedBy: { args: VERSION_ARGS },
        isEnabled: hasScript,
        execute: onVersion((script, version) =>
          restoreVersion(ctx, script, version)
        )
      },

      [CommandIDs.labelVersion]: {
        needs: 'write',
        menu: rowMenu(4),
        label: trans.__('Add Label…'),
        caption: trans.__('Name this version, e.g. “reviewed”'),
        describedBy: { args: VERSION_ARGS },
        isEnabled: hasScript,
        execute: onVersion((_, version) => labelVersion(ctx, version))
      },

      [CommandIDs.removeLabel]: {
        needs: 'write',
        label: args => trans.__('Remove Label %1', String(args.label ?? '')),
        describedBy: {
          args: {
            type: 'object',
            properties: {
              versionId: { type: 'number' },
              label: { type: 'string' }
            },
            required: ['versionId', 'label']
          }
        },
        execute: async args => {
          const version = target(args);
          if (version && typeof args.label === 'string') {
            await removeLabel(ctx, version, args.label);
          }
        }
      },

      [CommandIDs.publish]: {
        needs: 'write',
        palette: true,
        menu: rowMenu(5),
        label: args =>
          args.versionId !== undefined || target(args)
            ? trans.__('Publish This Version')
            : trans.__('Publish Script'),
        caption: trans.__(
          'Make a version the one others run (the editor: save, then publish the head)'
        ),
        describedBy: {
          args: {
            type: 'object',
            properties: {
              ...VERSION_ARGS.properties,
              widgetId: {
                type: 'string',
                description:
                  'Without versionId: the script editor (by widget id) to save and publish'
              },
              path: {
                type: 'string',
                description:
                  'Without versionId: the script editor (by file path) to save and publish'
              }
            }
          }
        },
        isEnabled: args =>
          target(args) !== null || tracker.find(editorQuery(args)) !== null,
        execute: async args => {
          const version = target(args);
          const script = model.script;
          if (version && script) {
            await publishVersion(
              ctx,
              script,
              version,
              script.published_version_id
            );
            return;
          }
          const editor = tracker.find(editorQuery(args));
          if (!editor) {
            return;
          }
          // The published version as the UI last saw it, before the save refreshes it.
          const base = editor.script.published_version_id;
          await tryOrShowError(trans.__('Cannot publish'), async () => {
            await editor.widget.context.save();
            const { version: head } = await client.versions.save(
              editor.script.id,
              {
                content: editorText(editor.widget),
                message: trans.__('Saved in JupyterLab')
              }
            );
            await publishVersion(ctx, editor.script, head, base);
          });
        }
      }
    },
    ctx.rights
  );
}

/** The Version panel's buttons: each runs its command on the row's version. */
export function panelActions(commands: CommandRegistry): IVersionActions {
  const run = (command: string) => (version: { id: number }) =>
    void commands.execute(command, { versionId: version.id });
  return {
    compareWithWorkingCopy: run(CommandIDs.compareWithWorkingCopy),
    select: run(CommandIDs.selectForCompare),
    compareWithSelected: run(CommandIDs.compareWithSelected),
    restore: run(CommandIDs.restoreVersion),
    label: run(CommandIDs.labelVersion),
    removeLabel: (version, label) =>
      void commands.execute(CommandIDs.removeLabel, {
        versionId: version.id,
        label
      }),
    publish: run(CommandIDs.publish),
    canChange: () => commands.isVisible(CommandIDs.labelVersion)
  };
}
