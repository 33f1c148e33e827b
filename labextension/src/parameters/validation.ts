/**
 * Values checked in the browser against a version's schema, before a run is
 * asked for: the same JSON Schema the server checks them against again.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { ReadonlyJSONObject } from '@lumino/coreutils';
import {
  ErrorTransformer,
  Experimental_DefaultFormStateBehavior,
  getDefaultFormState,
  RJSFSchema,
  RJSFValidationError
} from '@rjsf/utils';
import { customizeValidator } from '@rjsf/validator-ajv8';

import { IParameterError, IParametersSchema, ParameterValues } from '../client';

/**
 * The validator of run forms. `path` is any text (whether the file exists is
 * the script's business, on the machine it runs on).
 */
export const validator = customizeValidator<ReadonlyJSONObject>({
  customFormats: { path: () => true }
});

/**
 * How the form fills in what the user has not: the schema's defaults, and no
 * list items an optional list does not need (an option left out stays out).
 */
export const DEFAULTS_BEHAVIOR: Experimental_DefaultFormStateBehavior = {
  arrayMinItems: { populate: 'requiredOnly' }
};

/** The values as the form holds them: `values` with the defaults filled in. */
export function filledValues(
  schema: IParametersSchema,
  values: ParameterValues
): ParameterValues {
  const schemaOfForm = formSchema(schema);
  return (getDefaultFormState(
    validator,
    schemaOfForm,
    values as ReadonlyJSONObject,
    schemaOfForm,
    false,
    DEFAULTS_BEHAVIOR
  ) ?? {}) as ParameterValues;
}

/** The schema as react-jsonschema-form types it. */
export function formSchema(schema: IParametersSchema): RJSFSchema {
  return schema as unknown as RJSFSchema;
}

/** Error messages as the form shows them: a missing value said plainly. */
export function errorTransformer(
  trans: TranslationBundle
): ErrorTransformer<ReadonlyJSONObject> {
  return (errors: RJSFValidationError[]) =>
    errors.map(error =>
      error.name === 'required'
        ? { ...error, message: trans.__('A value is needed.') }
        : error
    );
}

/**
 * The parameter an error's property (`.count`, `.tags.0`, `['a-b']`, or the bare
 * `name` of a missing value) is about.
 */
export function fieldOf(property: string | undefined): string | null {
  if (!property) {
    return null;
  }
  const quoted = /^\['((?:[^'\\]|\\.)*)'\]/.exec(property);
  if (quoted) {
    return quoted[1].replace(/\\(.)/g, '$1');
  }
  const named = /^\.?([^.[]+)/.exec(property);
  return named ? named[1] : null;
}

/**
 * The parameters whose values the schema refuses, each with its first message,
 * in the order of the form; empty when the values may be sent.
 */
export function invalidFields(
  schema: IParametersSchema,
  values: ParameterValues,
  trans: TranslationBundle
): IParameterError[] {
  const { errors } = validator.validateFormData(
    values as ReadonlyJSONObject,
    formSchema(schema),
    undefined,
    errorTransformer(trans)
  );
  const found = new Map<string, string>();
  for (const error of errors) {
    const field = fieldOf(error.property);
    if (field !== null && !found.has(field)) {
      found.set(field, error.message ?? error.stack);
    }
  }
  const order = Object.keys(schema.properties);
  return [...found.entries()]
    .map(([field, message]) => ({ field, message }))
    .sort((a, b) => rank(order, a.field) - rank(order, b.field));
}

function rank(order: string[], field: string): number {
  const index = order.indexOf(field);
  return index === -1 ? order.length : index;
}
