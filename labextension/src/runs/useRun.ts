import * as React from 'react';

import { IRun, IScriptForgeClient } from '../client';
import { isLive } from './format';

/** How often a run that may still change is fetched again. */
export const POLL_MS = 1000;

export type RunState =
  | { kind: 'loading' }
  | { kind: 'ready'; run: IRun }
  | { kind: 'failed'; message: string };

/**
 * One run, fetched and then polled while it is queued or running, so its status,
 * times and (for a group) its children's statuses stay current.
 *
 * @returns the state, and a setter for a newer run known from elsewhere
 *   (the output stream's end, a cancel's answer)
 */
export function useRun(
  client: IScriptForgeClient,
  runId: number
): [RunState, (run: IRun) => void] {
  const [state, setState] = React.useState<RunState>({ kind: 'loading' });

  React.useEffect(() => {
    let cancelled = false;
    let timer = 0;
    setState({ kind: 'loading' });
    const fetch = () => {
      client.runs
        .get(runId)
        .then(run => {
          if (cancelled) {
            return;
          }
          setState({ kind: 'ready', run });
          if (isLive(run.status)) {
            timer = window.setTimeout(fetch, POLL_MS);
          }
        })
        .catch((reason: Error) => {
          if (!cancelled) {
            setState({ kind: 'failed', message: reason.message });
          }
        });
    };
    fetch();
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [client, runId]);

  // A stale poll answer may still land after this; the next poll corrects it.
  const update = React.useCallback((run: IRun) => {
    setState(current =>
      current.kind === 'ready' && current.run.id === run.id
        ? { kind: 'ready', run: { ...current.run, ...run } }
        : current
    );
  }, []);
  return [state, update];
}

/** The current time, ticking every second while `active`. */
export function useNow(active: boolean): number {
  const [now, setNow] = React.useState(Date.now());
  React.useEffect(() => {
    if (!active) {
      return;
    }
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [active]);
  return active ? now : Date.now();
}
