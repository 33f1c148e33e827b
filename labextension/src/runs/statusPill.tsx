import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { RunStatus } from '../client';
import { statusLabel } from './format';

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
