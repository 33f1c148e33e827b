/**
 * Pure helpers of the Runs panel: statuses, durations, sizes.
 */
import { IRun, RunStatus } from '../client';

/** Every status a run can have, in the order a filter lists them. */
export const STATUSES: RunStatus[] = [
  'queued',
  'running',
  'succeeded',
  'failed',
  'cancelled',
  'timed_out',
  'interrupted'
];

/** Whether a run may still change (and so is worth watching). */
export function isLive(status: RunStatus): boolean {
  return status === 'queued' || status === 'running';
}

/** Milliseconds a run has taken so far (or took), null before it starts. */
export function elapsedMs(run: IRun, now: number = Date.now()): number | null {
  if (!run.started_at) {
    return null;
  }
  const end = run.finished_at ? Date.parse(run.finished_at) : now;
  return Math.max(0, end - Date.parse(run.started_at));
}

/** "850 ms", "12.3 s", "4 min 05 s", "2 h 03 min". */
export function formatDuration(ms: number | null): string {
  if (ms === null) {
    return '—';
  }
  if (ms < 1000) {
    return `${Math.round(ms)} ms`;
  }
  const seconds = ms / 1000;
  if (seconds < 60) {
    return `${seconds.toFixed(1)} s`;
  }
  const whole = Math.floor(seconds);
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) {
    return `${minutes} min ${String(whole % 60).padStart(2, '0')} s`;
  }
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** A time of day for today's runs, a date and time for older ones. */
export function formatStarted(iso: string | null): string {
  if (!iso) {
    return '—';
  }
  const when = new Date(iso);
  const today = new Date().toDateString() === when.toDateString();
  return today
    ? when.toLocaleTimeString()
    : `${when.toLocaleDateString()} ${when.toLocaleTimeString()}`;
}

/** "312 MiB" and the like. */
export function formatBytes(bytes: number | null): string {
  if (bytes === null) {
    return '—';
  }
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value < 10 && unit > 0 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}
