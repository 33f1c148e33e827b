/**
 * A script's parameters as the server reads them from its code (argparse's
 * `add_argument` calls, or a top-level `def main(...)`): a JSON Schema per
 * version, and the values a run or a group item gives them.
 */
import { ScriptForgeResponseError } from './errors';

/** The values of a script's parameters, by name, as JSON. */
export type ParameterValues = Record<string, unknown>;

/** How the script takes its parameters. */
export type ParameterStyle = 'argparse' | 'main';

/** The JSON Schema of one parameter, as the server writes it. */
export interface IParameterSchema {
  title?: string;
  description?: string;
  type?: 'string' | 'integer' | 'number' | 'boolean' | 'array';
  default?: unknown;
  enum?: unknown[];
  /** `date`, `date-time`, `time` or `path` (a string). */
  format?: string;
  /** The schema of a list's values. */
  items?: IParameterSchema;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
}

/** The JSON Schema of the object of a version's parameter values. */
export interface IParametersSchema {
  type: 'object';
  /** One field per parameter, in the order of the code. */
  properties: Record<string, IParameterSchema>;
  required?: string[];
  additionalProperties?: boolean;
}

/**
 * The parameters of a version of a script. `style` and `schema` are null when its
 * code declares none the server can read: its runs take free-form arguments.
 */
export interface IScriptParameters {
  script_id: number;
  version_id: number;
  style: ParameterStyle | null;
  schema: IParametersSchema | null;
}

/** A version's parameters when it has some (a schema with at least one field). */
export function hasParameters(
  found: IScriptParameters | null
): found is IScriptParameters & {
  style: ParameterStyle;
  schema: IParametersSchema;
} {
  return (
    found !== null &&
    found.style !== null &&
    found.schema !== null &&
    Object.keys(found.schema.properties ?? {}).length > 0
  );
}

/** A value the server refused: the parameter (`field`) and why. */
export interface IParameterError {
  field: string;
  message: string;
}

/**
 * The parameter a 400 answer names (`{"message", "field"}`), or null when
 * `error` is another error.
 */
export function parameterErrorOf(error: unknown): IParameterError | null {
  if (
    error instanceof ScriptForgeResponseError &&
    error.status === 400 &&
    typeof error.body.field === 'string' &&
    error.body.field
  ) {
    return { field: error.body.field, message: error.message };
  }
  return null;
}
