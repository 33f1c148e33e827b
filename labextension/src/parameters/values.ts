/**
 * Which values a run form starts from: the values remembered for the script (or
 * given by the caller), kept only where the version's schema still takes them;
 * the schema's defaults fill the rest.
 */
import { JSONExt, JSONValue } from '@lumino/coreutils';

import {
  IParameterSchema,
  IParametersSchema,
  ParameterValues
} from '../client';

/** The key under which the last values of a script's runs are remembered. */
export function stateKey(scriptId: number): string {
  return `jupyter-scriptforge:parameters:${scriptId}`;
}

/** The defaults the schema states, by parameter. */
export function defaultValues(schema: IParametersSchema): ParameterValues {
  const defaults: ParameterValues = {};
  for (const [name, field] of Object.entries(schema.properties)) {
    if (field.default !== undefined) {
      defaults[name] = field.default;
    }
  }
  return defaults;
}

/**
 * The values of `stored` (values remembered or given, of any shape) that the
 * schema still takes: a parameter it no longer has, or a value its type, choices
 * or range now refuse, is dropped, so that the form shows the default instead.
 */
export function prefillValues(
  schema: IParametersSchema,
  stored: unknown
): ParameterValues {
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) {
    return {};
  }
  const kept: ParameterValues = {};
  for (const [name, value] of Object.entries(stored)) {
    const field = Object.prototype.hasOwnProperty.call(schema.properties, name)
      ? schema.properties[name]
      : undefined;
    if (field !== undefined && fits(value, field)) {
      kept[name] = value;
    }
  }
  return kept;
}

/** Whether a value suits one parameter's schema (type, choices, range, items). */
export function fits(value: unknown, field: IParameterSchema): boolean {
  if (value === null || value === undefined) {
    return false;
  }
  if (
    field.enum !== undefined &&
    !field.enum.some(choice =>
      JSONExt.deepEqual(choice as JSONValue, value as JSONValue)
    )
  ) {
    return false;
  }
  switch (field.type) {
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
      return Number.isInteger(value) && inRange(value as number, field);
    case 'number':
      return (
        typeof value === 'number' &&
        Number.isFinite(value) &&
        inRange(value, field)
      );
    case 'array':
      return (
        Array.isArray(value) &&
        (field.items === undefined ||
          value.every(item => fits(item, field.items as IParameterSchema)))
      );
    default:
      return true;
  }
}

function inRange(value: number, field: IParameterSchema): boolean {
  return (
    (field.minimum === undefined || value >= field.minimum) &&
    (field.maximum === undefined || value <= field.maximum)
  );
}

/**
 * The values to send: those of the form, without the fields left empty (the
 * script's default then applies).
 */
export function valuesToSend(values: ParameterValues): ParameterValues {
  const sent: ParameterValues = {};
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined && value !== null) {
      sent[name] = value;
    }
  }
  return sent;
}
