/**
 * The suite's config-dependent expectations hold under a second, different config: a child jest runs the test
 * files that derive their expectations from the loaded config with TEST_CONFIG naming the adopter fixture
 * (other accounts, every stage and the pipeline in eu-central-1, a `qa` stage with an approval, a longer Staging
 * bake, other e-mail addresses, repository, connection and custom domain).
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { ADOPTER_CONFIG_FIXTURE, TEST_CONFIG_ENV } from '../../support/test-config';
import { configWith } from '../support/context';

const REPO = path.join(__dirname, '..', '..');

/** Test files whose expectations come from the config they build from. */
const CONFIG_DEPENDENT = [
  'test/platform/log-groups.test.ts',
  'test/platform/frontend-tls.test.ts',
  'test/pipeline/checks/termination-protection.test.ts',
  'test/pipeline/checks/check-step.test.ts',
  'test/pipeline/first-run/first-run-app.test.ts',
  'test/platform/observability/synthetic-traffic.test.ts',
  'test/platform/release/platform-release.test.ts',
  'test/platform/release/pre-traffic-hook.test.ts',
];

describe('The adopter config fixture', () => {
  it('is another config than the base fixture: other accounts, regions and stages', () => {
    const base = configWith();
    const previous = process.env[TEST_CONFIG_ENV];
    process.env[TEST_CONFIG_ENV] = ADOPTER_CONFIG_FIXTURE;
    try {
      const adopter = configWith();
      expect(adopter.stages.map((s) => s.name)).toEqual(['dev', 'qa', 'staging', 'prod']);
      expect(new Set(adopter.stages.map((s) => s.region))).toEqual(new Set(['eu-central-1']));
      expect(adopter.pipeline.region).toBe('eu-central-1');
      for (const stage of base.stages)
        expect(adopter.stages.find((s) => s.name === stage.name)!.account).not.toBe(stage.account);
      expect(adopter.pipeline.account).not.toBe(base.pipeline.account);
    } finally {
      if (previous === undefined) delete process.env[TEST_CONFIG_ENV];
      else process.env[TEST_CONFIG_ENV] = previous;
    }
  });

  it('passes the config-dependent test files', () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'adopter-tests-')), 'results.json');
    const env: NodeJS.ProcessEnv = { ...process.env, [TEST_CONFIG_ENV]: ADOPTER_CONFIG_FIXTURE };
    // The child's own global setup synthesizes the adopter app's shared assembly.
    delete env.SHARED_CLOUD_ASSEMBLY_DIR;
    delete env.SHARED_CLOUD_ASSEMBLY_PID;
    const run = spawnSync(
      process.execPath,
      [
        require.resolve('jest/bin/jest'),
        '--selectProjects',
        'tests',
        '--json',
        '--outputFile',
        out,
        '--runTestsByPath',
        ...CONFIG_DEPENDENT,
      ],
      { cwd: REPO, env, encoding: 'utf8' },
    );
    const results = JSON.parse(readFileSync(out, 'utf8')) as {
      numTotalTestSuites: number;
      numFailedTests: number;
      numPassedTests: number;
      testResults: Array<{ name: string; status: string; message: string }>;
    };
    const failed = results.testResults.filter((r) => r.status !== 'passed').map((r) => `${r.name}: ${r.message}`);
    expect(failed).toEqual([]);
    expect(results.numTotalTestSuites).toBe(CONFIG_DEPENDENT.length);
    expect(results.numFailedTests).toBe(0);
    expect(results.numPassedTests).toBeGreaterThan(CONFIG_DEPENDENT.length);
    expect(run.status).toBe(0);
  });
});
