/**
 * When the Backup stack's rules run, shared by the stack and the config loader (which refuses a
 * recovery-point age policy the schedule can never meet).
 */
export const BACKUP_SCHEDULE = {
  /** The daily rule starts at this UTC hour. */
  dailyHourUtc: 3,
  /** The weekly rule starts at this UTC hour on Sundays. */
  weeklyHourUtc: 4,
  /** Hours AWS Backup may wait before starting a job. */
  startWindowHours: 1,
  /** Hours a started job may take to complete. */
  completionWindowHours: 8,
} as const;

/**
 * The smallest recovery-point age policy the daily rule can meet: just before a run, the newest point
 * is a day old plus however late the previous job started. A long-running job adds to that.
 */
export const MIN_RECOVERY_POINT_MAX_AGE_HOURS = 24 + BACKUP_SCHEDULE.startWindowHours;
