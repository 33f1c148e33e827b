import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { IRun, IScriptForgeClient } from '../client';
import { IResourceLabels } from '../tokens';
import { useLabels } from '../ui/useLabels';
import { RunArtifacts } from './artifactsView';
import { elapsedMs, formatDuration, isLive } from './format';
import { RunOutput } from './outputView';
import { RunSummary } from './runSummary';
import { StatusPill } from '../ui/statusPill';
import { useNow } from './useRun';

/**
 * A group run: its children in order with their live statuses, and the output of
 * the child picked. The children come with the group run, which the detail polls.
 */
export function GroupRunView(props: {
  client: IScriptForgeClient;
  labels: IResourceLabels;
  trans: TranslationBundle;
  run: IRun;
  follow: boolean;
}): JSX.Element {
  const { labels, trans, run } = props;
  useLabels(labels);
  const children = run.children ?? [];
  const now = useNow(children.some(child => isLive(child.status)));
  const [selectedId, setSelectedId] = React.useState<number | null>(null);
  const selected = children.find(child => child.id === selectedId) ?? null;

  return (
    <div className="jp-ScriptForge-groupRun">
      {children.length === 0 ? (
        <div className="jp-ScriptForge-empty">
          {trans.__('This group run has no items.')}
        </div>
      ) : (
        <table
          className="jp-ScriptForge-table jp-ScriptForge-children"
          aria-label={trans.__('Group items')}
        >
          <thead>
            <tr>
              <th>#</th>
              <th>{trans.__('Script')}</th>
              <th>{trans.__('Status')}</th>
              <th>{trans.__('Duration')}</th>
            </tr>
          </thead>
          <tbody>
            {children.map(child => (
              <tr
                key={child.id}
                className="jp-ScriptForge-child"
                data-run-id={child.id}
                aria-selected={child.id === selectedId}
                tabIndex={0}
                onClick={() => setSelectedId(child.id)}
                onKeyDown={event =>
                  event.key === 'Enter' && setSelectedId(child.id)
                }
              >
                <td>{(child.position ?? 0) + 1}</td>
                <td className="jp-ScriptForge-child-name">
                  {labels.script(child.script_id) ?? '…'}
                </td>
                <td>
                  <StatusPill status={child.status} trans={trans} />
                </td>
                <td>{formatDuration(elapsedMs(child, now))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {selected ? (
        <div className="jp-ScriptForge-childDetail">
          <RunSummary labels={labels} trans={trans} run={selected} compact />
          <RunArtifacts client={props.client} trans={trans} run={selected} />
          <RunOutput
            client={props.client}
            trans={trans}
            runId={selected.id}
            follow={props.follow}
            truncated={selected.output_truncated}
          />
        </div>
      ) : (
        children.length > 0 && (
          <div className="jp-ScriptForge-hint">
            {trans.__('Select an item to see its output.')}
          </div>
        )
      )}
    </div>
  );
}
