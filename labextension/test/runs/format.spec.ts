import { describe, expect, it } from 'vitest';

import {
  elapsedMs,
  formatBytes,
  formatDuration,
  isLive,
  STATUSES
} from '../../src/runs/format';
import { statusLabel } from '../../src/ui/statusPill';
import { aRun, trans } from '../helpers';

describe('durations', () => {
  it('read in the unit that fits', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_340)).toBe('12.3 s');
    expect(formatDuration(4 * 60_000 + 5_000)).toBe('4 min 05 s');
    expect(formatDuration(2 * 3_600_000 + 3 * 60_000)).toBe('2 h 03 min');
  });

  it('show a dash before a run starts', () => {
    expect(formatDuration(null)).toBe('—');
  });

  it('run from the start to the end, or to now while the run goes on', () => {
    const finished = aRun({
      started_at: '2024-05-01T10:00:00Z',
      finished_at: '2024-05-01T10:00:02.500Z'
    });
    const running = aRun({
      status: 'running',
      started_at: '2024-05-01T10:00:00Z',
      finished_at: null
    });
    const queued = aRun({ status: 'queued', started_at: null });

    expect(elapsedMs(finished)).toBe(2500);
    expect(elapsedMs(running, Date.parse('2024-05-01T10:01:00Z'))).toBe(60_000);
    expect(elapsedMs(queued)).toBeNull();
  });
});

describe('sizes', () => {
  it('read in binary units, with a decimal below 10', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(312 * 1024 * 1024)).toBe('312 MiB');
    expect(formatBytes(3 * 1024 ** 4)).toBe('3072 GiB');
  });

  it('show a dash when unknown', () => {
    expect(formatBytes(null)).toBe('—');
  });
});

describe('statuses', () => {
  it('are live only while queued or running', () => {
    expect(STATUSES.filter(isLive)).toEqual(['queued', 'running']);
  });

  it('each read as a word, "timed_out" with a space', () => {
    expect(STATUSES.map(status => statusLabel(status, trans))).toEqual([
      'queued',
      'running',
      'succeeded',
      'failed',
      'cancelled',
      'timed out',
      'interrupted'
    ]);
  });
});
