import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { IHealth, ScriptForgeClient } from '../client';
import { ErrorNote, LoadingNote } from './notes';

type HealthState =
  | { kind: 'loading' }
  | { kind: 'ready'; health: IHealth }
  | { kind: 'failed'; message: string };

/** What the server has to work with: store, runners, interpreters, Docker. */
export function HealthView(props: {
  client: ScriptForgeClient;
  trans: TranslationBundle;
  refreshToken: number;
}): JSX.Element {
  const { client, trans, refreshToken } = props;
  const [state, setState] = React.useState<HealthState>({ kind: 'loading' });

  React.useEffect(() => {
    let cancelled = false;
    setState({ kind: 'loading' });
    client
      .health()
      .then(health => !cancelled && setState({ kind: 'ready', health }))
      .catch((reason: Error) => {
        if (!cancelled) {
          setState({ kind: 'failed', message: reason.message });
        }
      });
    return () => {
      cancelled = true;
    };
  }, [client, refreshToken]);

  if (state.kind === 'loading') {
    return (
      <LoadingNote>{trans.__('Checking the ScriptForge server…')}</LoadingNote>
    );
  }
  if (state.kind === 'failed') {
    return <ErrorNote message={state.message} />;
  }
  const { health } = state;
  const flag = (available: boolean) =>
    available ? 'jp-ScriptForge-ok' : 'jp-ScriptForge-missing';
  return (
    <details className="jp-ScriptForge-health">
      <summary>{trans.__('Server')}</summary>
      <dl aria-label={trans.__('Server health')}>
        <dt>{trans.__('Version')}</dt>
        <dd data-field="version">{health.version}</dd>
        <dt>{trans.__('Database')}</dt>
        <dd data-field="database" className={flag(health.database.ok)}>
          {health.database.backend}
        </dd>
        <dt>{trans.__('Runners')}</dt>
        <dd data-field="runners">{health.runners.join(', ')}</dd>
        <dt>{trans.__('Docker Engine')}</dt>
        <dd data-field="docker" className={flag(health.docker.available)}>
          {health.docker.available
            ? trans.__('answers (%1)', health.docker.version ?? '?')
            : trans.__('not available')}
        </dd>
        <dt>{trans.__('Interpreters')}</dt>
        <dd data-field="interpreters">
          {health.interpreters.length === 0 ? (
            trans.__('none found')
          ) : (
            <ul>
              {health.interpreters.map(interpreter => (
                <li
                  key={interpreter.name}
                  title={[interpreter.path, interpreter.image]
                    .filter(Boolean)
                    .join(' · ')}
                >
                  {interpreter.name}
                </li>
              ))}
            </ul>
          )}
        </dd>
      </dl>
    </details>
  );
}
