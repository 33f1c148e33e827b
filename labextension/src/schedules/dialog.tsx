/**
 * The schedule dialog: a name, a cron expression with its next fire times
 * shown while it is typed, a time zone and what to do with missed times.
 */
import { Dialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import { IScheduleInput, ISchedulesClient } from '../client';

/** What the dialog asks; `field`/`message`: what the server refused last. */
export interface IScheduleDraft {
  name: string;
  cron: string;
  timezone: string;
  missed: 'skip' | 'once';
}

export interface IScheduleDialogOptions {
  title: string;
  /** What runs, in words: "the published version of report". */
  target: string;
  draft: IScheduleDraft;
  error: { field: string | null; message: string } | null;
  acceptLabel: string;
  client: ISchedulesClient;
  trans: TranslationBundle;
}

/** How long typing pauses before the fire times are asked for. */
const PREVIEW_PAUSE_MS = 300;

/** The user's own time zone, the default of a new schedule. */
export function localTimezone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** The dialog's answer: the draft as accepted, or null if cancelled. */
export async function showScheduleDialog(
  options: IScheduleDialogOptions
): Promise<IScheduleDraft | null> {
  const body = new ScheduleBody(options);
  const result = await new Dialog<IScheduleDraft>({
    title: options.title,
    body,
    buttons: [
      Dialog.cancelButton({ label: options.trans.__('Cancel') }),
      Dialog.okButton({ label: options.acceptLabel })
    ],
    focusNodeSelector: options.error?.field
      ? `[name="${options.error.field}"]`
      : '[name="cron"]'
  }).launch();
  return result.button.accept ? result.value : null;
}

/** The draft as the API takes it. */
export function inputOf(draft: IScheduleDraft): IScheduleInput {
  return {
    name: draft.name.trim(),
    cron: draft.cron.trim(),
    timezone: draft.timezone.trim(),
    missed: draft.missed
  };
}

class ScheduleBody
  extends ReactWidget
  implements Dialog.IBodyWidget<IScheduleDraft>
{
  constructor(private readonly _options: IScheduleDialogOptions) {
    super();
    this._draft = { ..._options.draft };
    this.addClass('jp-ScriptForge-scheduleForm');
  }

  getValue(): IScheduleDraft {
    return this._draft;
  }

  render(): JSX.Element {
    return (
      <ScheduleForm
        {...this._options}
        onChange={draft => {
          this._draft = draft;
        }}
      />
    );
  }

  private _draft: IScheduleDraft;
}

type Preview =
  | { kind: 'waiting' }
  | { kind: 'times'; times: string[] }
  | { kind: 'refused'; field: string | null; message: string };

function ScheduleForm(
  props: IScheduleDialogOptions & { onChange: (draft: IScheduleDraft) => void }
): JSX.Element {
  const { trans, client, onChange, target } = props;
  const [draft, setDraft] = React.useState(props.draft);
  const [preview, setPreview] = React.useState<Preview>(
    props.error ? { kind: 'refused', ...props.error } : { kind: 'waiting' }
  );
  const zones = React.useMemo(timezones, []);

  const change = (changes: Partial<IScheduleDraft>) => {
    const next = { ...draft, ...changes };
    setDraft(next);
    onChange(next);
  };

  React.useEffect(() => {
    let current = true;
    const timer = window.setTimeout(() => {
      client
        .preview(draft.cron.trim(), draft.timezone.trim() || 'UTC')
        .then(times => current && setPreview({ kind: 'times', times }))
        .catch((reason: { message: string; body?: { field?: string } }) => {
          if (current) {
            setPreview({
              kind: 'refused',
              field: reason.body?.field ?? null,
              message: reason.message
            });
          }
        });
    }, PREVIEW_PAUSE_MS);
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [client, draft.cron, draft.timezone]);

  const refused = (field: string) =>
    preview.kind === 'refused' && preview.field === field;
  const errorOf = (field: string) =>
    refused(field) && (
      <div className="jp-ScriptForge-fieldError" role="alert">
        {(preview as { message: string }).message}
      </div>
    );
  const shownTime = (iso: string) =>
    timeIn(
      iso,
      draft.timezone.trim(),
      draft.cron.trim().split(/\s+/).length === 6
    );

  return (
    <div className="jp-ScriptForge-scheduleFields">
      <p className="jp-ScriptForge-scheduleTarget">{target}</p>
      <label>
        {trans.__('Name')}
        <input
          className="jp-mod-styled"
          name="name"
          value={draft.name}
          placeholder={trans.__('Nightly report')}
          onChange={event => change({ name: event.target.value })}
        />
      </label>
      {errorOf('name')}
      <label>
        {trans.__('When (cron)')}
        <input
          className={`jp-mod-styled${refused('cron') ? ' jp-mod-invalid' : ''}`}
          name="cron"
          value={draft.cron}
          spellCheck={false}
          aria-invalid={refused('cron')}
          onChange={event => change({ cron: event.target.value })}
        />
      </label>
      <div className="jp-ScriptForge-fieldHint">
        {trans.__(
          'minute hour day month weekday — e.g. “30 2 * * *” every day at 02:30, “0 8 * * 1” Mondays at 08:00'
        )}
      </div>
      {errorOf('cron')}
      <label>
        {trans.__('Time zone')}
        <input
          className={`jp-mod-styled${refused('timezone') ? ' jp-mod-invalid' : ''}`}
          name="timezone"
          list="jp-ScriptForge-timezones"
          value={draft.timezone}
          aria-invalid={refused('timezone')}
          onChange={event => change({ timezone: event.target.value })}
        />
        <datalist id="jp-ScriptForge-timezones">
          {zones.map(zone => (
            <option key={zone} value={zone} />
          ))}
        </datalist>
      </label>
      {errorOf('timezone')}
      <label>
        {trans.__('Missed while no server ran')}
        <select
          className="jp-mod-styled"
          name="missed"
          value={draft.missed}
          onChange={event =>
            change({ missed: event.target.value as 'skip' | 'once' })
          }
        >
          <option value="skip">{trans.__('Skip them')}</option>
          <option value="once">{trans.__('Run the latest once')}</option>
        </select>
      </label>
      <div className="jp-ScriptForge-schedulePreview" aria-live="polite">
        <div className="jp-ScriptForge-fieldHint">{trans.__('Next runs')}</div>
        {preview.kind === 'waiting' && (
          <div className="jp-ScriptForge-loading">
            {trans.__('Working out…')}
          </div>
        )}
        {preview.kind === 'times' && (
          <ol>
            {preview.times.map(time => (
              <li key={time}>{shownTime(time)}</li>
            ))}
          </ol>
        )}
        {preview.kind === 'refused' &&
          !['name', 'cron', 'timezone'].includes(preview.field ?? '') && (
            <div className="jp-ScriptForge-fieldError" role="alert">
              {preview.message}
            </div>
          )}
      </div>
    </div>
  );
}

/** A fire time as the user reads it, in the schedule's zone (as sent, if none). */
function timeIn(iso: string, zone: string, seconds: boolean): string {
  try {
    return new Intl.DateTimeFormat(undefined, {
      weekday: 'short',
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      second: seconds ? '2-digit' : undefined,
      timeZone: zone || 'UTC',
      timeZoneName: 'short'
    }).format(new Date(iso));
  } catch {
    return iso; // a zone this browser does not know
  }
}

function timezones(): string[] {
  const intl = Intl as unknown as {
    supportedValuesOf?: (key: string) => string[];
  };
  return intl.supportedValuesOf
    ? ['UTC', ...intl.supportedValuesOf('timeZone')]
    : ['UTC'];
}
