import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import type { TimedBuildCommand } from '../../bench/build-action';
import { BUILD_OVERHEAD_MINUTES, buildspecCommands, COMPUTE_TYPES, estimateBuild } from '../../bench/build-action';

const timed = (command: string, ms: number, scaling: 'parallel' | 'serial'): TimedBuildCommand => ({
  command,
  ms,
  scaling,
  exitCode: 0,
  where: 'repository',
});

describe('The Build action model', () => {
  it('reads the build commands of the real buildspec, the tests marked parallel and the rest serial', () => {
    const { commands, env } = buildspecCommands(path.join(__dirname, '..', '..', 'buildspec', 'synth.yml'));
    expect(commands.map((c) => c.command.split(' ').slice(0, 2).join(' '))).toEqual([
      'npm ci',
      'npx cdk',
      'npm test',
      'npx esbuild',
      'cp node_modules/@aws-cdk/aws-service-spec/db.json.gz',
    ]);
    expect(commands.map((c) => c.scaling)).toEqual(['serial', 'serial', 'parallel', 'serial', 'serial']);
    expect(env).toMatchObject({ CI: 'true', BUILD_ASSEMBLY: 'cdk.out' });
  });

  it('fails naming the file when the buildspec has no build commands', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'buildspec-')), 'synth.yml');
    writeFileSync(file, 'version: 0.2\nphases: {}\n');
    expect(() => buildspecCommands(file)).toThrow(
      `${file}: expected phases.build.commands to be a non-empty list of commands.`,
    );
  });

  it('scales only the parallel commands by the CPU ratio and adds the assumed overhead', () => {
    // GIVEN 60 s of serial work and 120 s of tests measured on 2 CPUs
    const commands = [timed('npm ci', 60_000, 'serial'), timed('npm test', 120_000, 'parallel')];
    const overhead = BUILD_OVERHEAD_MINUTES.provisioning + BUILD_OVERHEAD_MINUTES.install;
    // THEN 4 vCPUs halve the tests only; 2 vCPUs change nothing; a 1-CPU machine is never scaled below as measured
    expect(estimateBuild(commands, 2, COMPUTE_TYPES.MEDIUM)).toMatchObject({
      measuredMinutes: 3,
      commandMinutes: 2,
      minutes: 2 + overhead,
    });
    expect(estimateBuild(commands, 2, COMPUTE_TYPES.SMALL)).toMatchObject({ commandMinutes: 3 });
    expect(estimateBuild(commands, 8, COMPUTE_TYPES.MEDIUM)).toMatchObject({ commandMinutes: 3 });
    // AND a run is billed by the started minute: 3 min on MEDIUM at $0.01
    expect(estimateBuild(commands, 2, COMPUTE_TYPES.MEDIUM).usdPerRun).toBeCloseTo(0.03, 5);
  });
});
