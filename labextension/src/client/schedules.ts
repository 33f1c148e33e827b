/**
 * Schedules: runs of a script or a group started at the times a cron
 * expression names in a time zone, as their owner.
 */
import { ParameterValues } from './parameters';
import { ApiConnection } from './request';

/** What each fire of a schedule starts: a `POST runs` body. */
export interface IScheduledRun {
  script_id?: number;
  group_id?: number;
  /** A pinned version; absent: the script's published version at fire time. */
  version_id?: number;
  interpreter?: string;
  runner?: string;
  parameters?: ParameterValues;
  timeout?: number;
}

/** One fire time of a schedule, with its run or why none started. */
export interface IScheduleFire {
  fire_at: string;
  run_id: number | null;
  status: string | null;
  error: string | null;
}

export interface ISchedule {
  id: number;
  name: string;
  owner: string;
  cron: string;
  timezone: string;
  run: IScheduledRun;
  /** Fire times missed while no server ran: skipped, or the latest run once. */
  missed: 'skip' | 'once';
  active: boolean;
  /** Why it paused itself (its script was deleted, its owner lost a right). */
  stopped_because: string | null;
  /** The next fire times (up to five), in the schedule's time zone. */
  next: string[];
  created_at: string;
  updated_at: string;
  /** Its latest fire times, newest first: in `get` only. */
  fires?: IScheduleFire[];
}

/** What creating or changing a schedule takes. */
export interface IScheduleInput extends IScheduledRun {
  name?: string;
  cron?: string;
  timezone?: string;
  missed?: 'skip' | 'once';
  active?: boolean;
}

export interface ISchedulesClient {
  /** This user's schedules (an admin's: everyone's), newest first. */
  list(): Promise<ISchedule[]>;
  /** One schedule with its latest fire times. */
  get(id: number): Promise<ISchedule>;
  create(schedule: IScheduleInput): Promise<ISchedule>;
  /** Edit, pause (`active: false`) or resume. */
  update(id: number, changes: IScheduleInput): Promise<ISchedule>;
  delete(id: number): Promise<void>;
  /** The next five fire times of an expression; a 400 names the bad `field`. */
  preview(cron: string, timezone: string): Promise<string[]>;
}

export class SchedulesClient implements ISchedulesClient {
  constructor(private readonly _api: ApiConnection) {}

  async list(): Promise<ISchedule[]> {
    const found = await this._api.request<{ schedules: ISchedule[] }>(
      'schedules'
    );
    return found.schedules;
  }

  get(id: number): Promise<ISchedule> {
    return this._api.request<ISchedule>(`schedules/${id}`);
  }

  create(schedule: IScheduleInput): Promise<ISchedule> {
    return this._api.post<ISchedule>('schedules', schedule);
  }

  update(id: number, changes: IScheduleInput): Promise<ISchedule> {
    return this._api.request<ISchedule>(`schedules/${id}`, {
      method: 'PATCH',
      body: JSON.stringify(changes)
    });
  }

  async delete(id: number): Promise<void> {
    await this._api.request<unknown>(`schedules/${id}`, { method: 'DELETE' });
  }

  async preview(cron: string, timezone: string): Promise<string[]> {
    const query = new URLSearchParams({ cron, timezone });
    const found = await this._api.request<{ next: string[] }>(
      `schedules/preview?${query}`
    );
    return found.next;
  }
}
