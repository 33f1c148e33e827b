import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import {
  ReactWidget,
  refreshIcon,
  ToolbarButtonComponent
} from '@jupyterlab/ui-components';
import * as React from 'react';

import { IHealth, ScriptForgeClient } from '../client';

/** CSS classes of the Scripts panel. */
namespace CSS {
  export const panel = 'jp-ScriptForge-ScriptsPanel';
  export const header = 'jp-ScriptForge-header';
  export const title = 'jp-ScriptForge-title';
  export const empty = 'jp-ScriptForge-empty';
  export const loading = 'jp-ScriptForge-loading';
  export const error = 'jp-ScriptForge-error';
  export const health = 'jp-ScriptForge-health';
  export const ok = 'jp-ScriptForge-ok';
  export const missing = 'jp-ScriptForge-missing';
}

type HealthState =
  | { kind: 'loading' }
  | { kind: 'ready'; health: IHealth }
  | { kind: 'failed'; message: string };

interface IScriptsViewProps {
  client: ScriptForgeClient;
  translator: ITranslator;
  /** Incremented by the refresh command to ask for a new health report. */
  refreshToken: number;
}

/** The sidebar's content: an empty catalog and the server's health. */
function ScriptsView(props: IScriptsViewProps): JSX.Element {
  const trans = props.translator.load('jupyter_scriptforge');
  const [state, setState] = React.useState<HealthState>({ kind: 'loading' });
  const [reload, setReload] = React.useState(0);

  React.useEffect(() => {
    let cancelled = false;
    setState({ kind: 'loading' });
    props.client
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
  }, [props.client, props.refreshToken, reload]);

  return (
    <>
      <div className={CSS.header}>
        <h2 className={CSS.title}>{trans.__('Scripts')}</h2>
        <ToolbarButtonComponent
          icon={refreshIcon}
          tooltip={trans.__('Refresh')}
          onClick={() => setReload(n => n + 1)}
        />
      </div>
      <div className={CSS.empty}>
        <p>{trans.__('No scripts yet.')}</p>
        <p>
          {trans.__(
            'Scripts you create will be listed here, with their folders, tags and versions.'
          )}
        </p>
      </div>
      <HealthView state={state} trans={trans} />
    </>
  );
}

function HealthView(props: {
  state: HealthState;
  trans: ReturnType<ITranslator['load']>;
}): JSX.Element {
  const { state, trans } = props;
  if (state.kind === 'loading') {
    return (
      <div className={CSS.loading} aria-busy="true">
        {trans.__('Checking the ScriptForge server…')}
      </div>
    );
  }
  if (state.kind === 'failed') {
    return (
      <div className={CSS.error} role="alert">
        {state.message}
      </div>
    );
  }
  const { health } = state;
  const flag = (available: boolean) => (available ? CSS.ok : CSS.missing);
  return (
    <section className={CSS.health} aria-label={trans.__('Server health')}>
      <h3>{trans.__('Server')}</h3>
      <dl>
        <dt>{trans.__('Version')}</dt>
        <dd data-field="version">{health.version}</dd>
        <dt>{trans.__('Database')}</dt>
        <dd data-field="database">{health.database.backend}</dd>
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
                <li key={interpreter.name} title={interpreter.path}>
                  {interpreter.name}
                </li>
              ))}
            </ul>
          )}
        </dd>
      </dl>
    </section>
  );
}

/** The "Scripts" sidebar panel. */
export class ScriptsPanel extends ReactWidget {
  constructor(
    private readonly _client: ScriptForgeClient,
    private readonly _translator: ITranslator = nullTranslator
  ) {
    super();
    this.addClass(CSS.panel);
  }

  /** Ask the server for a fresh health report. */
  refresh(): void {
    this._refreshToken += 1;
    this.update();
  }

  protected render(): JSX.Element {
    return (
      <ScriptsView
        client={this._client}
        translator={this._translator}
        refreshToken={this._refreshToken}
      />
    );
  }

  private _refreshToken = 0;
}
