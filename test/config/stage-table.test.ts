import { shouldPrintStageTable, stageTable } from '../../lib/config/stage-table';
import { fixtureConfig } from './fixtures/production-context';

describe('stageTable', () => {
  it('prints every stage as the loader resolved it, defaults included, in promotion order', () => {
    // GIVEN the fixture with a third stage `qa` that waits for an approval and has no backup
    const config = fixtureConfig({
      'pipeline.stages': ['test', 'qa', 'live'],
      'qa.account': '222222222222',
      'qa.delivery.manualApproval': true,
      'qa.delivery.bakeTimeMinutes': 30,
    });
    expect(stageTable(config).split('\n')).toEqual([
      'Stages of pipeline 999999999999 eu-west-2 (example-org/example-repo@main), in promotion order:',
      'stage  account       region     DR region  production  approval  window                                bake',
      'test   111111111111  eu-west-2  -          no          no        -                                     -',
      'qa     222222222222  eu-west-2  -          no          yes       -                                     30 min',
      'live   333333333333  eu-west-2  eu-west-1  yes         yes       * * 9-15 ? * MON-THU (Europe/London)  15 min',
    ]);
  });
});

describe('shouldPrintStageTable', () => {
  it('prints on a plain synth, not in a jest worker, and follows STAGE_TABLE when it is set', () => {
    expect(shouldPrintStageTable({})).toBe(true);
    expect(shouldPrintStageTable({ JEST_WORKER_ID: '1' })).toBe(false);
    expect(shouldPrintStageTable({ JEST_WORKER_ID: '1', STAGE_TABLE: 'on' })).toBe(true);
    expect(shouldPrintStageTable({ STAGE_TABLE: 'off' })).toBe(false);
  });
});
