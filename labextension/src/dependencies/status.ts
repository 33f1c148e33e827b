/**
 * Where a script's declared dependencies (PEP 723) stand, as its editor shows
 * them: what to say of each state, what to do next (pure), and the model that
 * asks the server when the editor opens the script and after each save,
 * prepares a version nothing was tried for yet, and asks again every second
 * while uv works, and only then.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import {
  DependencyStateName,
  IDependencyState,
  IScript,
  IScriptsClient,
  statusOf
} from '../client';

/** How often to ask while uv resolves or installs. */
export const POLL_MS = 1000;
/**
 * How long after a save to ask, if the script editor tracker has not brought
 * the new head by then (the server records a save a moment after it).
 */
export const AFTER_SAVE_MS = 1500;
/** While polling, how long to wait after a request that got no answer. */
export const RETRY_MS = 5000;
/**
 * How many times to ask again when the server says `unresolved` just after a
 * prepare or while uv worked: work started in the background may not show yet,
 * and work done may not show as done at once.
 */
export const PREPARE_GRACE_POLLS = 5;

/** What the editor knows of the script's dependencies. */
export interface IDependencySnapshot {
  /** The server's last answer; null before it, or once the script is gone. */
  state: IDependencyState | null;
  /**
   * Why the server refused to tell or to prepare (a `# /// script` block that
   * is not valid TOML…): shown as a failure, with these words.
   */
  error: string | null;
}

/** A state the indicator shows; `none` is not shown. */
export type ShownState = Exclude<DependencyStateName, 'none'>;

/** The state to show, or null when there is nothing to show (none declared, not known). */
export function shownState(snapshot: IDependencySnapshot): ShownState | null {
  if (snapshot.error !== null) {
    return 'failed';
  }
  const state = snapshot.state?.state ?? 'none';
  return state === 'none' ? null : state;
}

/** Whether uv is at work: the states worth asking about again. */
export function isBusy(state: DependencyStateName | null): boolean {
  return state === 'resolving' || state === 'installing';
}

/** The indicator's text: "2 packages · ready", "needs Python >=3.12"… */
export function dependencyLabel(
  snapshot: IDependencySnapshot,
  trans: TranslationBundle
): string {
  const shown = shownState(snapshot);
  const count = snapshot.state?.dependencies.length ?? 0;
  const what =
    count > 0
      ? trans._n('%1 package', '%1 packages', count)
      : trans.__('Dependencies');
  switch (shown) {
    case null:
      return '';
    case 'unresolved':
      return trans.__('%1 · not prepared', what);
    case 'resolving':
      return trans.__('%1 · resolving…', what);
    case 'installing':
      return trans.__('%1 · installing…', what);
    case 'ready':
      return trans.__('%1 · ready', what);
    case 'failed':
      return trans.__('%1 · failed', what);
    case 'unsupported': {
      const python = snapshot.state?.requires_python;
      if (!python) {
        return trans.__('%1 · unsupported Python', what);
      }
      return count > 0
        ? trans.__('%1 · needs Python %2', what, python)
        : trans.__('needs Python %1', python);
    }
  }
}

/**
 * The indicator's tooltip: the pins when ready (one a line), uv's words when it
 * failed, the refusal when the interpreter is unsupported.
 */
export function dependencyTooltip(
  snapshot: IDependencySnapshot,
  trans: TranslationBundle
): string {
  const { state, error } = snapshot;
  if (error !== null) {
    return error;
  }
  if (state === null) {
    return '';
  }
  const declared = state.dependencies.join(', ');
  switch (state.state) {
    case 'none':
      return '';
    case 'ready':
      return (state.pins ?? state.dependencies).join('\n');
    case 'failed':
      return state.message ?? trans.__('uv gave no reason.');
    case 'unsupported':
      return (
        state.message ??
        trans.__(
          'The script requires Python %1: %2 does not fit.',
          state.requires_python ?? '',
          state.interpreter
        )
      );
    case 'resolving':
      return trans.__(
        'uv is resolving %1 for %2…',
        declared,
        state.interpreter
      );
    case 'installing':
      return trans.__(
        'uv is installing %1 for %2…',
        (state.pins ?? state.dependencies).join(', '),
        state.interpreter
      );
    case 'unresolved':
      return trans.__(
        'Nothing was resolved yet for %1: the first run resolves and installs %2.',
        state.interpreter,
        declared
      );
  }
}

/** What the editor does after an answer of the server. */
export type NextStep =
  /** Ask the server to resolve and install (POST). */
  | 'prepare'
  /** Ask again in a while (GET). */
  | 'poll'
  /** Nothing until the next save: the state is settled. */
  | 'wait';

/**
 * What to do after the server answered `state`: poll while uv works (or may,
 * see `grace`); prepare a version nothing was tried for, once, if the user may
 * run it; else wait.
 */
export function nextStep(
  state: IDependencyState,
  options: {
    /** Whether the user holds the run right (preparing needs it). */
    mayRun: boolean;
    /** Whether this editor already asked to prepare this version and interpreter. */
    prepared: boolean;
    /**
     * How many more `unresolved` answers to poll (none if omitted): just after
     * a prepare or while uv worked, see `PREPARE_GRACE_POLLS`.
     */
    grace?: number;
  }
): NextStep {
  if (isBusy(state.state)) {
    return 'poll';
  }
  if (state.state === 'unresolved') {
    if ((options.grace ?? 0) > 0) {
      return 'poll';
    }
    return options.mayRun && !options.prepared ? 'prepare' : 'wait';
  }
  return 'wait';
}

/** The server calls the model makes. */
export type IDependencySource = Pick<
  IScriptsClient,
  'dependencies' | 'prepareDependencies' | 'resolveDependenciesAgain'
>;

export interface IDependencyStatusOptions {
  client: IDependencySource;
  /** The script, as the script editor tracker last fetched it. */
  script: IScript;
  /** Whether the user may prepare (the run right); asked before each prepare. */
  mayRun: () => boolean | Promise<boolean>;
  /**
   * Whether the state is seen: a poll that comes while it is not waits for
   * `resume()`. Always, if omitted.
   */
  isVisible?: () => boolean;
  pollMs?: number;
  afterSaveMs?: number;
  retryMs?: number;
}

/**
 * The state of one script editor's dependencies, kept up to date: `check()` on
 * opening, `update(script)` with each news of the tracker (a new head, another
 * interpreter), `saved()` after each save. Each of these stops the polling
 * before, and a late answer to an earlier request is dropped.
 */
export class DependencyStatus implements IDisposable {
  constructor(options: IDependencyStatusOptions) {
    this._client = options.client;
    this._script = options.script;
    this._seen = scriptKey(options.script);
    this._mayRun = options.mayRun;
    this._isVisible = options.isVisible ?? (() => true);
    this._pollMs = options.pollMs ?? POLL_MS;
    this._afterSaveMs = options.afterSaveMs ?? AFTER_SAVE_MS;
    this._retryMs = options.retryMs ?? RETRY_MS;
  }

  /** What is known now. */
  get snapshot(): IDependencySnapshot {
    return this._snapshot;
  }

  /** Emitted with each new snapshot. */
  get changed(): ISignal<this, IDependencySnapshot> {
    return this._changed;
  }

  /** The script, as last heard of. */
  get script(): IScript {
    return this._script;
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  /**
   * Ask where the head version stands on the script's interpreter; prepare it
   * if nothing was tried yet, poll while uv works.
   */
  check(): Promise<void> {
    const ticket = this._restart();
    this._grace = 0;
    return this._follow(
      ticket,
      () => this._client.dependencies(this._script.id),
      null
    );
  }

  /**
   * The tracker's news of the script: another head version (a save recorded,
   * a restore) or another interpreter is asked about at once.
   */
  update(script: IScript): void {
    this._script = script;
    const key = scriptKey(script);
    if (key !== this._seen) {
      this._seen = key;
      void this.check();
    }
  }

  /**
   * The editor saved: stop polling; ask about the head once the server has
   * recorded the save (sooner if the tracker brings the new head first).
   */
  saved(): void {
    if (this._disposed) {
      return;
    }
    this._restart();
    this._timer = setTimeout(() => void this.check(), this._afterSaveMs);
  }

  /** Resolve again (after a failure): prepare what is shown, then poll. */
  prepare(): Promise<void> {
    const ticket = this._restart();
    const shown = this._snapshot.state;
    if (shown !== null) {
      this._prepared.add(stateKey(shown));
    }
    this._grace = PREPARE_GRACE_POLLS;
    const query =
      shown === null
        ? {}
        : { versionId: shown.version_id, interpreter: shown.interpreter };
    return this._follow(
      ticket,
      () => this._client.prepareDependencies(this._script.id, query),
      shown
    );
  }

  /**
   * Resolve afresh as a new version (newer releases within the requirements),
   * then follow that version's state.
   */
  resolveAgain(): Promise<void> {
    const ticket = this._restart();
    const shown = this._snapshot.state;
    this._grace = PREPARE_GRACE_POLLS;
    const query = shown === null ? {} : { interpreter: shown.interpreter };
    return this._follow(
      ticket,
      () => this._client.resolveDependenciesAgain(this._script.id, query),
      shown
    );
  }

  /** The state is seen again: a poll that waited for it goes now. */
  resume(): void {
    if (this._deferred) {
      this._deferred = false;
      this._poll(this._ticket);
    }
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    clearTimeout(this._timer);
    Signal.clearData(this);
  }

  /** Stop what was under way: → the ticket of what starts now. */
  private _restart(): number {
    clearTimeout(this._timer);
    this._deferred = false;
    return ++this._ticket;
  }

  private _current(ticket: number): boolean {
    return !this._disposed && ticket === this._ticket;
  }

  /**
   * Send `request`, show its answer and take the next step; `before` is the
   * state to keep showing if the request is refused.
   */
  private async _follow(
    ticket: number,
    request: () => Promise<IDependencyState>,
    before: IDependencyState | null
  ): Promise<void> {
    let state: IDependencyState;
    try {
      state = await request();
    } catch (reason) {
      if (this._current(ticket)) {
        this._refused(ticket, reason, before);
      }
      return;
    }
    const key = stateKey(state);
    const mayRun =
      state.state === 'unresolved' && !this._prepared.has(key) && !this._grace
        ? await this._mayRun()
        : false;
    // A later check, save or prepare wins over this answer.
    if (!this._current(ticket)) {
      return;
    }
    const step = nextStep(state, {
      mayRun,
      prepared: this._prepared.has(key),
      grace: this._grace
    });
    if (step === 'prepare') {
      // Straight on to "resolving…", without a moment of "not prepared".
      this._prepared.add(key);
      this._grace = PREPARE_GRACE_POLLS;
      const query = {
        versionId: state.version_id,
        interpreter: state.interpreter
      };
      await this._follow(
        ticket,
        () => this._client.prepareDependencies(this._script.id, query),
        state
      );
      return;
    }
    // While work is (about to be) under way, `unresolved` is not news: keep
    // showing it as under way.
    const patient = state.state === 'unresolved' && step === 'poll';
    const shown =
      this._snapshot.state?.state === 'installing' ? 'installing' : 'resolving';
    this._set({
      state: patient ? { ...state, state: shown } : state,
      error: null
    });
    // Patience with `unresolved`: a few answers after a prepare or uv's work.
    this._grace =
      state.state === 'unresolved'
        ? Math.max(this._grace - 1, 0)
        : isBusy(state.state)
          ? PREPARE_GRACE_POLLS
          : 0;
    if (step === 'poll') {
      this._later(ticket, this._pollMs);
    }
  }

  /** A request failed: say why, unless it is a reason to show less. */
  private _refused(
    ticket: number,
    reason: unknown,
    before: IDependencyState | null
  ): void {
    const status = statusOf(reason);
    if (status === 404) {
      // The script (or the version) is gone: nothing to show.
      this._set({ state: null, error: null });
    } else if (status === 403) {
      // Not the user's to prepare: show what the server said before.
      this._set({ state: before, error: null });
    } else if (status === null && isBusy(before?.state ?? null)) {
      // No answer while uv works: keep showing that, ask again later.
      this._later(ticket, this._retryMs);
    } else {
      this._set({ state: before, error: (reason as Error).message });
    }
  }

  private _later(ticket: number, ms: number): void {
    clearTimeout(this._timer);
    this._timer = setTimeout(() => this._poll(ticket), ms);
  }

  /** Ask again about the version and interpreter shown, once they are seen. */
  private _poll(ticket: number): void {
    const shown = this._snapshot.state;
    if (!this._current(ticket) || shown === null) {
      return;
    }
    if (!this._isVisible()) {
      this._deferred = true;
      return;
    }
    const query = {
      versionId: shown.version_id,
      interpreter: shown.interpreter
    };
    void this._follow(
      ticket,
      () => this._client.dependencies(this._script.id, query),
      shown
    );
  }

  private _set(snapshot: IDependencySnapshot): void {
    this._snapshot = snapshot;
    this._changed.emit(snapshot);
  }

  private readonly _client: IDependencySource;
  private _script: IScript;
  /** The head version and interpreter last asked about. */
  private _seen: string;
  private readonly _mayRun: () => boolean | Promise<boolean>;
  private readonly _isVisible: () => boolean;
  private readonly _pollMs: number;
  private readonly _afterSaveMs: number;
  private readonly _retryMs: number;
  /** The versions and interpreters this editor asked to prepare. */
  private readonly _prepared = new Set<string>();
  private _snapshot: IDependencySnapshot = { state: null, error: null };
  private readonly _changed = new Signal<this, IDependencySnapshot>(this);
  /** How many more `unresolved` answers to poll after a prepare. */
  private _grace = 0;
  private _ticket = 0;
  private _timer: ReturnType<typeof setTimeout> | undefined = undefined;
  /** A poll waits until the state is seen again. */
  private _deferred = false;
  private _disposed = false;
}

function scriptKey(script: IScript): string {
  return `${script.head_version_id}|${script.interpreter ?? ''}`;
}

function stateKey(state: IDependencyState): string {
  return `${state.version_id}|${state.interpreter}`;
}
