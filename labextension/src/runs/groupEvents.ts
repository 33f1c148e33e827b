/**
 * A tiny broadcast of "the groups changed", so the Groups list in the sidebar follows
 * what the group editor and the commands do without being refreshed by hand.
 */
const listeners = new Set<() => void>();

/** Tell every Groups list to fetch again. */
export function groupsChanged(): void {
  listeners.forEach(listener => listener());
}

/** Call `listener` on every change; returns the unsubscribe. */
export function onGroupsChanged(listener: () => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}
