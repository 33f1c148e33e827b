import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { IRun, IScriptForgeClient } from '../client';
import { IResourceLabels } from '../tokens';
import { ErrorNote, LoadingNote } from '../ui/notes';
import { RunArtifacts } from './artifactsView';
import { GroupRunView } from './groupRunView';
import { RunOutput } from './outputView';
import { RunSummary } from './runSummary';
import { useRun } from './useRun';

export interface IRunActions {
  cancel: (run: IRun) => Promise<IRun | null>;
  rerun: (run: IRun) => void;
  /** Ask the assistant to fix a failed script run. */
  fix: (run: IRun) => void;
}

export interface IRunDetailProps {
  client: IScriptForgeClient;
  labels: IResourceLabels;
  trans: TranslationBundle;
  runId: number;
  follow: boolean;
  actions: IRunActions;
  /** Tell the history a run changed (status, end). */
  onChanged: (run: IRun) => void;
}

/** The selected run: what it is, how it went, and its output (or its children). */
export function RunDetail(props: IRunDetailProps): JSX.Element {
  const { client, trans, runId } = props;
  const [state, update] = useRun(client, runId);
  const onChanged = React.useRef(props.onChanged);
  onChanged.current = props.onChanged;
  const run = state.kind === 'ready' ? state.run : null;
  const status = run?.status;

  React.useEffect(() => {
    if (run) {
      onChanged.current(run);
    }
    // Only a new status is news for the history.
  }, [run?.id, status]);

  if (state.kind === 'loading') {
    return <LoadingNote>{trans.__('Loading the run…')}</LoadingNote>;
  }
  if (state.kind === 'failed') {
    return <ErrorNote message={state.message} />;
  }
  const cancel = async () => {
    const cancelled = await props.actions.cancel(state.run);
    if (cancelled) {
      update(cancelled);
    }
  };
  return (
    <div
      className="jp-ScriptForge-runDetail"
      data-run-id={state.run.id}
      aria-label={trans.__('Run %1', state.run.id)}
    >
      <RunSummary
        labels={props.labels}
        trans={trans}
        run={state.run}
        onCancel={cancel}
        onRerun={() => props.actions.rerun(state.run)}
        onFix={() => props.actions.fix(state.run)}
      />
      <RunArtifacts client={client} trans={trans} run={state.run} />
      {state.run.kind === 'group' ? (
        <GroupRunView
          client={client}
          labels={props.labels}
          trans={trans}
          run={state.run}
          follow={props.follow}
        />
      ) : (
        <RunOutput
          client={client}
          trans={trans}
          runId={state.run.id}
          follow={props.follow}
          truncated={state.run.output_truncated}
          onEnd={update}
        />
      )}
    </div>
  );
}
