/**
 * What a view shows of something fetched: loading, ready with it, or failed
 * with the server's words; fetched again whenever `deps` change.
 */
import * as React from 'react';

import { Changes } from './changes';

export type Fetched<T> =
  | { kind: 'loading' }
  | { kind: 'ready'; value: T }
  | { kind: 'failed'; message: string };

export function useFetched<T>(
  fetch: () => Promise<T>,
  deps: React.DependencyList
): Fetched<T> {
  const [state, setState] = React.useState<Fetched<T>>({ kind: 'loading' });
  React.useEffect(() => {
    let cancelled = false;
    fetch()
      .then(value => !cancelled && setState({ kind: 'ready', value }))
      .catch((reason: Error) => {
        if (!cancelled) {
          setState({ kind: 'failed', message: reason.message });
        }
      });
    return () => {
      cancelled = true;
    };
    // The caller names what the fetch depends on.
  }, deps);
  return state;
}

/** A number that changes whenever `changes` emits: a dependency to fetch again. */
export function useChanged(changes: Changes): number {
  const [changed, setChanged] = React.useState(0);
  React.useEffect(
    () => changes.listen(() => setChanged(value => value + 1)),
    [changes]
  );
  return changed;
}
