/**
 * The parameters feature: the run form generated from a script's parameters
 * (its JSON Schema, read by the server from the code), and the values last run
 * with each script, remembered per user in JupyterLab's state database.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { IStateDB } from '@jupyterlab/statedb';
import { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { ReadonlyPartialJSONObject } from '@lumino/coreutils';

import { hasParameters, ParameterValues } from '../client';
import { IParameterFormRequest, IParameterForms } from '../tokens';
import { bundleOf } from '../ui/translation';
import { showRunForm } from './form';
import { prefillValues, stateKey } from './values';

/** The run form, prefilled with the values last run with the script. */
export class ParameterForms implements IParameterForms {
  /**
   * @param state - where the last values are kept; without it, forms start
   *   from the schema's defaults
   */
  constructor(
    private readonly _trans: TranslationBundle,
    private readonly _state: IStateDB | null,
    private readonly _translator: ITranslator | null = null
  ) {}

  async ask(request: IParameterFormRequest): Promise<ParameterValues | null> {
    const { parameters } = request;
    if (!hasParameters(parameters)) {
      return {}; // nothing to ask for
    }
    const start = request.values ?? (await this._remembered(request.scriptId));
    return showRunForm({
      title: request.title,
      schema: parameters.schema,
      style: parameters.style,
      values: prefillValues(parameters.schema, start),
      error: request.error ?? null,
      acceptLabel: request.acceptLabel ?? this._trans.__('Run'),
      trans: this._trans,
      translator: this._translator ?? undefined
    });
  }

  async remember(scriptId: number, values: ParameterValues): Promise<void> {
    if (!this._state) {
      return;
    }
    try {
      await this._state.save(
        stateKey(scriptId),
        values as ReadonlyPartialJSONObject
      );
    } catch (reason) {
      // Only the next form's prefill is lost.
      console.warn('ScriptForge: cannot remember the parameter values', reason);
    }
  }

  /** The values last run with the script, or null. */
  private async _remembered(scriptId: number): Promise<unknown> {
    if (!this._state) {
      return null;
    }
    try {
      return (await this._state.fetch(stateKey(scriptId))) ?? null;
    } catch (reason) {
      console.warn(
        'ScriptForge: cannot read the last parameter values',
        reason
      );
      return null;
    }
  }
}

export const parametersPlugin: JupyterFrontEndPlugin<IParameterForms> = {
  id: 'jupyter-scriptforge:parameters',
  description:
    "Provides the run form generated from a script's parameters, prefilled with the values last run with it.",
  autoStart: true,
  provides: IParameterForms,
  optional: [IStateDB, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    state: IStateDB | null,
    translator: ITranslator | null
  ): IParameterForms =>
    new ParameterForms(bundleOf(translator), state, translator)
};
