import type { AppConfig, StageConfig } from './stage-config';

/** Environment variable that turns the stage table on or off (`on`, `off`); unset, synth prints it except under jest. */
export const STAGE_TABLE_ENV = 'STAGE_TABLE';

const COLUMNS = ['stage', 'account', 'region', 'DR region', 'production', 'approval', 'window', 'bake'] as const;

function row(stage: StageConfig): string[] {
  const window = stage.delivery.window;
  return [
    stage.name,
    stage.account,
    stage.region,
    // The DR region holds the backup copies, so it is in use only where backup is on.
    stage.backup ? stage.drRegion : '-',
    stage.production ? 'yes' : 'no',
    stage.delivery.manualApproval ? 'yes' : 'no',
    window ? `${window.cron} (${window.timeZone})` : '-',
    stage.delivery.bakeTimeMinutes > 0 ? `${stage.delivery.bakeTimeMinutes} min` : '-',
  ];
}

/**
 * The resolved stages as one compact block of text: a header line naming the pipeline's account, region and
 * source, then one aligned row per stage in promotion order (account, region, DR region, production, approval,
 * deployment window, bake), every value as the loader resolved it, defaults included.
 */
export function stageTable(config: AppConfig): string {
  const { pipeline } = config;
  const rows = [[...COLUMNS], ...config.stages.map(row)];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const lines = rows.map((r) =>
    r
      .map((cell, i) => cell.padEnd(widths[i]))
      .join('  ')
      .trimEnd(),
  );
  return [
    `Stages of pipeline ${pipeline.account} ${pipeline.region} (${pipeline.repository}@${pipeline.branch}), in promotion order:`,
    ...lines,
  ].join('\n');
}

/**
 * Whether synth prints the stage table: `STAGE_TABLE=on` or `off` decides; unset, it prints except in a jest
 * worker (`JEST_WORKER_ID`) and the processes its tests start, which inherit that variable.
 */
export function shouldPrintStageTable(env: Readonly<Record<string, string | undefined>>): boolean {
  const setting = env[STAGE_TABLE_ENV];
  if (setting === 'on') return true;
  if (setting === 'off') return false;
  return env.JEST_WORKER_ID === undefined;
}
