/**
 * The Server section of the Scripts sidebar: the store, the runners and their
 * sandboxes, Docker, the interpreters.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { IHealth, IScriptForgeClient, ISandboxInfo } from '../client';
import { ErrorNote, LoadingNote } from '../ui/notes';

type HealthState =
  | { kind: 'loading' }
  | { kind: 'ready'; health: IHealth }
  | { kind: 'failed'; message: string };

/** How strong a sandbox is, for its label's colour. */
const STRENGTH: Record<string, string> = {
  bwrap: 'strong',
  docker: 'strong',
  'bwrap-unprivileged': 'medium',
  process: 'weak',
  unavailable: 'none'
};

/** Each runner: its isolation as a label, what a run is boxed in, how to do better. */
function SandboxList(props: {
  sandboxes: ISandboxInfo[];
  trans: TranslationBundle;
}): JSX.Element {
  const { sandboxes, trans } = props;
  const labels: Record<string, string> = {
    bwrap: trans.__('bubblewrap'),
    'bwrap-unprivileged': trans.__('bubblewrap, rootless'),
    process: trans.__('process only'),
    docker: trans.__('container'),
    unavailable: trans.__('unavailable')
  };
  return (
    <ul className="jp-ScriptForge-sandboxes">
      {sandboxes.map(sandbox => (
        <li
          key={sandbox.runner}
          className={`jp-ScriptForge-sandbox jp-mod-${
            STRENGTH[sandbox.isolation] ?? 'none'
          }`}
          data-runner={sandbox.runner}
        >
          <div className="jp-ScriptForge-sandboxHead">
            <span className="jp-ScriptForge-sandboxRunner">
              {sandbox.runner}
            </span>
            <span
              className="jp-ScriptForge-isolation"
              data-isolation={sandbox.isolation}
              title={trans.__('Isolation: %1', sandbox.isolation)}
            >
              {labels[sandbox.isolation] ?? sandbox.isolation}
            </span>
          </div>
          <div className="jp-ScriptForge-sandboxSummary">{sandbox.summary}</div>
          {sandbox.advice.length > 0 && (
            <ul
              className="jp-ScriptForge-sandboxAdvice"
              aria-label={trans.__(
                'How to strengthen the %1 sandbox',
                sandbox.runner
              )}
            >
              {sandbox.advice.map(advice => (
                <li key={advice}>{advice}</li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ul>
  );
}

/** What the server has to work with: store, runners and their sandboxes, interpreters, Docker. */
export function HealthView(props: {
  client: IScriptForgeClient;
  trans: TranslationBundle;
  refreshToken: number;
}): JSX.Element {
  const { client, trans, refreshToken } = props;
  const [state, setState] = React.useState<HealthState>({ kind: 'loading' });

  React.useEffect(() => {
    let cancelled = false;
    // A refresh keeps the report shown (and the section open) until the new one comes.
    setState(current =>
      current.kind === 'ready' ? current : { kind: 'loading' }
    );
    client.health
      .report()
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
        {health.sandboxes?.length ? (
          <dd data-field="runners" className="jp-ScriptForge-healthWide">
            <SandboxList sandboxes={health.sandboxes} trans={trans} />
          </dd>
        ) : (
          <dd data-field="runners">{health.runners.join(', ')}</dd>
        )}
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
