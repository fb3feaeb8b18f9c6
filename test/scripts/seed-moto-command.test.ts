/**
 * The README's emulator examples, as documented: moto_server, the fake credentials, `npm run seed-moto`, then
 * `npm run check -- health --stage dev --endpoint-url ...` and `npm run preflight -- --stage dev --endpoint-url ...`.
 */
import { runCheckCommand } from '../../scripts/check-command';
import { EXIT } from '../../scripts/operator-cli';
import { runPreflightCommand } from '../../scripts/preflight-command';
import { seedMoto, type SeededMoto } from '../../scripts/seed-moto-command';
import { startMoto, type MotoServer } from '../../support/moto';
import { cdkJsonContext } from '../../support/test-config';

// The commands read cdk.json, as the README's examples do: the rows name its dev stage and tooling account.
const context = cdkJsonContext();
const DEV = `${context['dev.account']}/${context['dev.region']}`;
const TOOLING_US_EAST_1 = `${context['pipeline.account']}/us-east-1`;

let moto: MotoServer;
let seeded: SeededMoto | undefined;

beforeAll(async () => {
  moto = await startMoto();
  process.env.AWS_ACCESS_KEY_ID = 'testing';
  process.env.AWS_SECRET_ACCESS_KEY = 'testing';
}, 150_000);

afterAll(async () => {
  await seeded?.stop();
  delete process.env.AWS_ACCESS_KEY_ID;
  delete process.env.AWS_SECRET_ACCESS_KEY;
  await moto?.stop();
});

async function run(
  command: (argv: string[], deps: { out: (t: string) => void; err: (t: string) => void }) => Promise<number>,
  argv: string[],
) {
  const lines: string[] = [];
  const code = await command([...argv, '--endpoint-url', moto.endpoint], {
    out: (t) => lines.push(t),
    err: (t) => lines.push(t),
  });
  return { code, text: lines.join('\n') };
}

describe('The emulator examples of the README', () => {
  it('fail against an empty emulator: the health check fails, it is not a pass', async () => {
    const { code, text } = await run(runCheckCommand, ['health', '--stage', 'dev']);
    expect(text).toContain('dev health check FAILED');
    expect(code).toBe(EXIT.failed);
  });

  it('pass after npm run seed-moto -- --stage dev', async () => {
    seeded = await seedMoto(['--stage', 'dev', '--endpoint-url', moto.endpoint]);
    const { code, text } = await run(runCheckCommand, ['health', '--stage', 'dev']);
    expect(text).toContain('dev health check PASSED');
    expect(code).toBe(EXIT.passed);
  });

  it('preflight then passes every row moto models, and reports the others as could not check', async () => {
    const { code, text } = await run(runPreflightCommand, ['--stage', 'dev']);
    expect(text).not.toMatch(/ FAIL /);
    const row = (check: string, where: string, result: string) => new RegExp(`${check} +${where} +${result}`);
    expect(text).toMatch(row('bootstrap stack', DEV, 'PASS'));
    expect(text).toMatch(row('bootstrap trust', DEV, 'PASS'));
    expect(text).toMatch(row('bootstrap version', TOOLING_US_EAST_1, 'PASS'));
    // moto has no Lambda account settings and no CodeConnections: never a pass
    expect(text).toMatch(row('lambda concurrency', DEV, 'COULD NOT CHECK'));
    expect(code).toBe(EXIT.couldNotCheck);
  }, 120_000);
});
