/**
 * The run form: a dialog holding a react-jsonschema-form of a version's
 * parameters (JupyterLab's `FormComponent`, as the settings editor draws it).
 * Its values are checked in the browser before the dialog may be accepted:
 * accepting invalid values shows what is wrong at each field instead.
 */
import { Dialog } from '@jupyterlab/apputils';
import { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { FormComponent, ReactWidget } from '@jupyterlab/ui-components';
import { JSONExt, JSONValue, ReadonlyJSONObject } from '@lumino/coreutils';
import { Widget } from '@lumino/widgets';
import type { IChangeEvent } from '@rjsf/core';
import { ErrorSchema, getTemplate, UiSchema, WidgetProps } from '@rjsf/utils';
import * as React from 'react';

import {
  IParameterError,
  IParametersSchema,
  ParameterStyle,
  ParameterValues
} from '../client';
import {
  DEFAULTS_BEHAVIOR,
  errorTransformer,
  filledValues,
  formSchema,
  invalidFields,
  validator
} from './validation';
import { defaultValues, valuesToSend } from './values';

/** The CSS class of the run form (the dialog's body). */
export const RUN_FORM_CLASS = 'jp-ScriptForge-RunForm';
/** The CSS class of the dialog holding a run form. */
export const RUN_FORM_DIALOG_CLASS = 'jp-ScriptForge-RunFormDialog';
/** The prefix of the fields' ids: a parameter `count` is `#root_count`. */
const ID_PREFIX = 'root';

/** What a run form shows. */
export interface IRunFormOptions {
  /** The dialog's title, e.g. "Run report". */
  title: string;
  schema: IParametersSchema;
  style: ParameterStyle;
  /** The values to start from (the schema's defaults fill the others). */
  values: ParameterValues;
  /** A value the server refused, shown at its field until it changes. */
  error: IParameterError | null;
  /** The label of the button that accepts the values, e.g. "Run". */
  acceptLabel: string;
  trans: TranslationBundle;
  /** For the labels of the form's own buttons (add, remove, move an item). */
  translator?: ITranslator;
}

/**
 * Ask for the values of a version's parameters: the values once accepted
 * (checked against the schema, empty fields left out), or null if cancelled.
 */
export async function showRunForm(
  options: IRunFormOptions
): Promise<ParameterValues | null> {
  const { trans } = options;
  const body = new RunFormBody(options);
  const buttons = [
    Dialog.cancelButton({ label: trans.__('Cancel') }),
    Dialog.okButton({ label: options.acceptLabel })
  ];
  const dialog = new RunFormDialog(body, {
    title: options.title,
    body,
    buttons,
    defaultButton: 1,
    // The field the server refused, else the first field.
    focusNodeSelector: options.error
      ? inputsOf(options.error.field)
      : 'input, select, textarea',
    renderer: RENDERER
  });
  dialog.addClass(RUN_FORM_DIALOG_CLASS);
  const result = await dialog.launch();
  return result.button.accept ? result.value : null;
}

/** The id of a parameter's input. */
function fieldId(name: string): string {
  return `${ID_PREFIX}_${name}`;
}

/** A selector of a parameter's inputs: its own, or those of its list's values. */
function inputsOf(name: string): string {
  const id = fieldId(name);
  return [`[id="${id}"]`, `[id^="${id}_"]`]
    .map(field => `${field}:is(input, select, textarea)`)
    .join(', ');
}

/**
 * The dialog of a run form: accepting checks the values first, and stays open
 * (showing what is wrong) while they are invalid.
 */
class RunFormDialog extends Dialog<ParameterValues> {
  constructor(
    private readonly _form: RunFormBody,
    options: Partial<Dialog.IOptions<ParameterValues>> & {
      buttons: ReadonlyArray<Dialog.IButton>;
      defaultButton: number;
    }
  ) {
    super(options);
    this._buttonList = options.buttons;
    this._default = options.defaultButton;
  }

  resolve(index?: number): void {
    const button = this._buttonList[index ?? this._default];
    if (button?.accept && !this._form.check()) {
      return;
    }
    super.resolve(index);
  }

  /**
   * JupyterLab disables the accept button while an input is `:invalid`; here it
   * stays enabled, and pressing it says what is missing.
   */
  protected _checkValidation(): void {
    // The values are checked when the dialog is accepted.
  }

  private readonly _buttonList: ReadonlyArray<Dialog.IButton>;
  private readonly _default: number;
}

/**
 * The dialog's renderer, but the run form's body is left as React draws it
 * (the default one restyles the inputs and wraps the selects after the first
 * render, under React's feet).
 */
class RunFormRenderer extends Dialog.Renderer {
  createBody(value: Dialog.Body<unknown>): Widget {
    if (value instanceof RunFormBody) {
      value.addClass('jp-Dialog-body');
      return value;
    }
    return super.createBody(value);
  }
}

const RENDERER = new RunFormRenderer();

/** The body of the dialog: the form, and its values for the dialog's result. */
class RunFormBody extends ReactWidget {
  constructor(private readonly _options: IRunFormOptions) {
    super();
    this.addClass(RUN_FORM_CLASS);
    this._values = { ..._options.values };
  }

  /** The values to send: the form's, defaults filled in, empty fields left out. */
  getValue(): ParameterValues {
    return valuesToSend(filledValues(this._options.schema, this._values));
  }

  /**
   * Whether the values may be sent; if not, the errors show at their fields
   * from now on, and the first field in error takes the focus.
   */
  check(): boolean {
    const { schema, trans } = this._options;
    const invalid = invalidFields(
      schema,
      filledValues(schema, this._values),
      trans
    );
    if (invalid.length === 0) {
      return true;
    }
    this._reveal = true;
    this.update();
    const first = inputsOf(invalid[0].field);
    requestAnimationFrame(() => {
      this.node.querySelector<HTMLElement>(first)?.focus();
    });
    return false;
  }

  protected render(): JSX.Element {
    return (
      <RunFormView
        options={this._options}
        reveal={this._reveal}
        onChange={values => {
          this._values = values;
        }}
      />
    );
  }

  private _values: ParameterValues;
  /** Whether errors show as the user types (after a first try to accept). */
  private _reveal = false;
}

/** The form of a version's parameters. */
function RunFormView(props: {
  options: IRunFormOptions;
  reveal: boolean;
  onChange: (values: ParameterValues) => void;
}): JSX.Element {
  const { schema, style, trans, translator } = props.options;
  const [values, setValues] = React.useState<ParameterValues>(
    props.options.values
  );
  const [refused, setRefused] = React.useState<IParameterError | null>(
    props.options.error
  );
  const defaults = React.useMemo(() => defaultValues(schema), [schema]);
  const uiSchema = React.useMemo(() => uiSchemaOf(schema, trans), [schema]);
  const transformErrors = React.useMemo(() => errorTransformer(trans), []);
  const extraErrors = React.useMemo(
    () =>
      refused
        ? ({
            [refused.field]: { __errors: [refused.message] }
          } as ErrorSchema)
        : undefined,
    [refused]
  );

  const onChange = (event: IChangeEvent<ReadonlyJSONObject>) => {
    const next = { ...(event.formData ?? {}) } as ParameterValues;
    // The server's word on a value holds until that value changes.
    if (
      refused &&
      !JSONExt.deepEqual(
        (next[refused.field] ?? null) as JSONValue,
        (values[refused.field] ?? null) as JSONValue
      )
    ) {
      setRefused(null);
    }
    setValues(next);
    props.onChange(next);
  };

  return (
    <>
      <p className="jp-ScriptForge-RunForm-note">
        {style === 'main'
          ? trans.__('ScriptForge calls the script’s main() with these values.')
          : trans.__(
              'ScriptForge passes these values on the script’s command line.'
            )}
      </p>
      <FormComponent
        schema={formSchema(schema)}
        uiSchema={uiSchema}
        formData={values as ReadonlyJSONObject}
        onChange={onChange}
        validator={validator}
        idPrefix={ID_PREFIX}
        liveValidate={props.reveal}
        noHtml5Validate
        showErrorList={false}
        transformErrors={transformErrors}
        extraErrors={extraErrors}
        experimental_defaultFormStateBehavior={DEFAULTS_BEHAVIOR}
        widgets={WIDGETS}
        formContext={{ defaultFormData: defaults }}
        compact
        showModifiedFromDefault
        translator={translator}
      />
    </>
  );
}

/**
 * How each field is drawn: a placeholder for a path, the values of a list
 * without a label each ("tags-0").
 */
function uiSchemaOf(
  schema: IParametersSchema,
  trans: TranslationBundle
): UiSchema<ReadonlyJSONObject> {
  const uiSchema: UiSchema<ReadonlyJSONObject> = {};
  const path = {
    'ui:placeholder': trans.__('a path on the machine the script runs on')
  };
  for (const [name, field] of Object.entries(schema.properties)) {
    if (field.type === 'array') {
      uiSchema[name] = {
        items: {
          'ui:label': false,
          ...(field.items?.format === 'path' ? path : {})
        }
      };
    } else if (field.format === 'path') {
      uiSchema[name] = path;
    }
  }
  return uiSchema;
}

/**
 * A time of day, always with seconds (react-jsonschema-form's own appends
 * ":00" to whatever the input gives, seconds included).
 */
function TimeWidget(props: WidgetProps): JSX.Element {
  const { onChange, options, registry } = props;
  const BaseInputTemplate = getTemplate('BaseInputTemplate', registry, options);
  return (
    <BaseInputTemplate
      type="time"
      step={1}
      {...props}
      onChange={(value: string | undefined) =>
        onChange(value ? (value.length === 5 ? `${value}:00` : value) : value)
      }
    />
  );
}

const WIDGETS = { TimeWidget };
