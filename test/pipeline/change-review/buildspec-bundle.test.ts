import { readFileSync } from 'fs';
import { parse } from 'yaml';
import { CHANGE_REVIEW_BUNDLE_COMMANDS } from '../../../lib/pipeline/change-review/change-review-step';
import { SYNTH_BUILDSPEC } from '../../../lib/pipeline/synth-step';

describe('the Build action bundles the change review into the assembly it deploys', () => {
  const commands: string[] = parse(readFileSync(SYNTH_BUILDSPEC, 'utf8')).phases.build.commands;

  it('runs every bundle command, after the synth that writes cdk.out', () => {
    const synth = commands.findIndex((c) => c.startsWith('npx cdk synth'));
    expect(synth).toBeGreaterThanOrEqual(0);
    for (const command of CHANGE_REVIEW_BUNDLE_COMMANDS) {
      expect(commands).toContain(command);
      expect(commands.indexOf(command)).toBeGreaterThan(synth);
    }
  });
});
