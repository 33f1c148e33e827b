/**
 * Scripts matching a search or a tag, found by the server, loaded page by page
 * as the user scrolls.
 *
 * Typing waits for a pause before asking; the request starts from the timer
 * itself, not from a render after it, so no frame is lost in between.
 */
import * as React from 'react';

import { IScript, IScriptForgeClient } from '../client';

const SEARCH_PAGE = 100;
/** How long typing must pause before the server is asked. */
export const SEARCH_DELAY_MS = 250;

export type SearchState =
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'failed'; message: string }
  | {
      kind: 'ready';
      /** The words and tag these are the results of. */
      text: string;
      tag: string;
      items: IScript[];
      next: string | null;
      loadingMore: boolean;
      /** A newer query is on its way; these are the previous one's results. */
      searching: boolean;
      /** Why the next page did not come: the rows already shown stay. */
      moreError: string | null;
    };

export function useScriptSearch(
  client: IScriptForgeClient,
  text: string,
  tag: string,
  refreshToken: number
): { state: SearchState; loadMore: () => void } {
  const [state, setState] = React.useState<SearchState>({ kind: 'idle' });
  const active = text !== '' || tag !== '';
  // Answers to an older query must not overwrite a newer one.
  const generation = React.useRef(0);

  const lastText = React.useRef(text);

  React.useEffect(() => {
    const mine = ++generation.current;
    if (!active) {
      setState({ kind: 'idle' });
      return;
    }
    setState(current =>
      current.kind === 'ready'
        ? { ...current, searching: true }
        : { kind: 'loading' }
    );
    // Only typing waits; a tag or a refresh asks at once.
    const delay = text !== lastText.current ? SEARCH_DELAY_MS : 0;
    lastText.current = text;
    const timer = window.setTimeout(() => {
      client.scripts
        .list({ q: text, tag, limit: SEARCH_PAGE })
        .then(page => {
          if (mine === generation.current) {
            setState({
              kind: 'ready',
              text,
              tag,
              items: page.items,
              next: page.next_cursor,
              loadingMore: false,
              searching: false,
              moreError: null
            });
          }
        })
        .catch((reason: Error) => {
          if (mine === generation.current) {
            setState({ kind: 'failed', message: reason.message });
          }
        });
    }, delay);
    return () => window.clearTimeout(timer);
  }, [client, text, tag, refreshToken, active]);

  const loadMore = React.useCallback(() => {
    if (
      state.kind !== 'ready' ||
      state.next === null ||
      state.loadingMore ||
      state.moreError !== null
    ) {
      return;
    }
    const mine = generation.current;
    setState({ ...state, loadingMore: true, moreError: null });
    client.scripts
      .list({
        q: state.text,
        tag: state.tag,
        limit: SEARCH_PAGE,
        cursor: state.next
      })
      .then(page => {
        if (mine === generation.current) {
          setState({
            ...state,
            items: [...state.items, ...page.items],
            next: page.next_cursor,
            loadingMore: false
          });
        }
      })
      .catch((reason: Error) => {
        if (mine === generation.current) {
          setState({ ...state, loadingMore: false, moreError: reason.message });
        }
      });
  }, [client, state]);

  return { state, loadMore };
}
