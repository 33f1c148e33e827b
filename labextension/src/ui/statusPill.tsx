/** A run's status, as a word and as a coloured pill (runs and schedules show it). */
import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { RunStatus } from '../client';

/** A run's status as a coloured pill; `data-status` carries the raw value. */
export function StatusPill(props: {
  status: RunStatus;
  trans: TranslationBundle;
}): JSX.Element {
  return (
    <span
      className={`jp-ScriptForge-status jp-mod-${props.status}`}
      data-status={props.status}
    >
      {statusLabel(props.status, props.trans)}
    </span>
  );
}

/** The status as a user reads it. */
export function statusLabel(
  status: RunStatus,
  trans: TranslationBundle
): string {
  switch (status) {
    case 'queued':
      return trans.__('queued');
    case 'running':
      return trans.__('running');
    case 'succeeded':
      return trans.__('succeeded');
    case 'failed':
      return trans.__('failed');
    case 'cancelled':
      return trans.__('cancelled');
    case 'timed_out':
      return trans.__('timed out');
    case 'interrupted':
      return trans.__('interrupted');
  }
}
