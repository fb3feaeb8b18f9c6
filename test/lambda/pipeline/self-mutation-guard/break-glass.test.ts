import childProcess from 'child_process';
import type { RunCommand } from '../../../../lambda/pipeline/self-mutation-guard/break-glass';
import {
  breakGlassCommand,
  evaluateBreakGlass,
  readBreakGlass,
} from '../../../../lambda/pipeline/self-mutation-guard/break-glass';
import { BREAK_GLASS_PARAMETER } from '../../../../contracts/gate-spec';

const NOW = new Date('2026-12-02T15:00:00Z');
const SHA = 'a'.repeat(64);
const REASON = 'Prod window moved to Fridays, approved by the change board (CAB-123)';
const value = (v: object) => JSON.stringify(v);

describe('the break-glass value', () => {
  it('allows a reason of 20 characters or more until a time in the next 24 hours', () => {
    expect(evaluateBreakGlass(value({ reason: REASON, expires: '2026-12-02T16:00:00Z' }), NOW, SHA)).toStrictEqual({
      allowed: { reason: REASON, expires: new Date('2026-12-02T16:00:00Z') },
    });
  });

  it('allows only the template it names, when it names one', () => {
    const raw = value({ reason: REASON, expires: '2026-12-02T16:00:00Z', template: SHA });
    expect(evaluateBreakGlass(raw, NOW, SHA).allowed?.template).toBe(SHA);
    expect(evaluateBreakGlass(raw, NOW, 'b'.repeat(64))).toEqual({
      refused: `it is limited to the template ${SHA}, not this one (${'b'.repeat(64)})`,
    });
  });

  it.each<[string, string | undefined, string]>([
    ['no parameter', undefined, `the parameter ${BREAK_GLASS_PARAMETER} does not exist`],
    ['a value that is not JSON', 'yes please', `the value of ${BREAK_GLASS_PARAMETER} is not JSON`],
    ['a JSON list', '[]', `the value of ${BREAK_GLASS_PARAMETER} is not a JSON object`],
    [
      'a short reason',
      value({ reason: 'hotfix', expires: '2026-12-02T16:00:00Z' }),
      'its reason must be a sentence of at least 20 characters',
    ],
    [
      'a reason of blanks',
      value({ reason: ' '.repeat(30), expires: '2026-12-02T16:00:00Z' }),
      'its reason must be a sentence of at least 20 characters',
    ],
    [
      'an expiry without a zone',
      value({ reason: REASON, expires: '2026-12-02T16:00:00' }),
      'its expires must be an ISO 8601 time with a zone, such as 2026-12-02T18:00:00Z',
    ],
    [
      'an expired one',
      value({ reason: REASON, expires: '2026-12-02T14:59:59Z' }),
      'it expired at 2026-12-02T14:59:59.000Z',
    ],
    [
      'one that expires in more than 24 hours',
      value({ reason: REASON, expires: '2026-12-03T15:00:01Z' }),
      'it expires more than 24 hours ahead (2026-12-03T15:00:01.000Z)',
    ],
  ])('refuses %s', (_, raw, refused) => {
    expect(evaluateBreakGlass(raw, NOW, SHA)).toEqual({ refused });
  });
});

/** A command runner that fails as execFileSync does when the CLI exits non-zero. */
const failing =
  (status: number, stderr: string): RunCommand =>
  () => {
    throw Object.assign(new Error(`Command failed: aws ssm get-parameter`), { status, stderr });
  };

describe('reading the break-glass parameter with the AWS CLI', () => {
  it('asks for exactly the parameter, as text', () => {
    const calls: Array<[string, readonly string[]]> = [];
    const raw = readBreakGlass((file, args) => {
      calls.push([file, args]);
      return `${value({ reason: REASON, expires: '2026-12-02T16:00:00Z' })}\n`;
    });
    expect(calls).toEqual([
      [
        'aws',
        ['ssm', 'get-parameter', '--name', BREAK_GLASS_PARAMETER, '--query', 'Parameter.Value', '--output', 'text'],
      ],
    ]);
    expect(JSON.parse(raw!).reason).toBe(REASON);
  });

  it('reads ParameterNotFound as no break-glass', () => {
    const stderr = '\nAn error occurred (ParameterNotFound) when calling the GetParameter operation: \n';
    expect(readBreakGlass(failing(254, stderr))).toBeUndefined();
  });

  it('fails with the reason on AccessDenied, which is not the absence of a break-glass', () => {
    const stderr = `\nAn error occurred (AccessDeniedException) when calling the GetParameter operation: User: arn:aws:sts::999999999999:assumed-role/SelfMutationRole/AWSCodeBuild-1 is not authorized to perform: ssm:GetParameter on resource: arn:aws:ssm:eu-west-2:999999999999:parameter${BREAK_GLASS_PARAMETER} because no identity-based policy allows the ssm:GetParameter action\n`;
    expect(() => readBreakGlass(failing(254, stderr))).toThrow(
      /^aws ssm get-parameter failed \(exit 254\): An error occurred \(AccessDeniedException\).*ssm:GetParameter/,
    );
  });

  it('fails with the reason when the CLI is missing', () => {
    const missing: RunCommand = () => {
      throw Object.assign(new Error('spawnSync aws ENOENT'), { code: 'ENOENT' });
    };
    expect(() => readBreakGlass(missing)).toThrow('aws ssm get-parameter failed: spawnSync aws ENOENT');
  });
});

describe('the break-glass value at its limits', () => {
  const allowedUntil = (expires: string) => evaluateBreakGlass(value({ reason: REASON, expires }), NOW, SHA);

  it('allows an expiry exactly 24 hours ahead, and refuses one that is exactly now', () => {
    expect(allowedUntil('2026-12-03T15:00:00Z').allowed?.expires).toEqual(new Date('2026-12-03T15:00:00Z'));
    expect(allowedUntil('2026-12-02T15:00:00Z')).toEqual({ refused: 'it expired at 2026-12-02T15:00:00.000Z' });
  });

  it.each([
    ['an offset zone', '2026-12-02T17:00:00+01:00', '2026-12-02T16:00:00.000Z'],
    ['fractions of a second', '2026-12-02T16:00:00.5Z', '2026-12-02T16:00:00.500Z'],
    ['no seconds', '2026-12-02T16:00Z', '2026-12-02T16:00:00.000Z'],
  ])('reads an expiry with %s', (_, expires, iso) => {
    expect(allowedUntil(expires).allowed?.expires.toISOString()).toBe(iso);
  });

  it.each([
    ['a date only', '2026-12-02'],
    ['text around the time', 'by 2026-12-02T16:00:00Z please'],
    ['a month that does not exist', '2026-13-02T16:00:00Z'],
  ])('refuses an expiry that is %s', (_, expires) => {
    expect(allowedUntil(expires)).toEqual({
      refused: 'its expires must be an ISO 8601 time with a zone, such as 2026-12-02T18:00:00Z',
    });
  });

  it('refuses an expiry that is not text', () => {
    expect(evaluateBreakGlass(value({ reason: REASON, expires: 1796223600000 }), NOW, SHA)).toEqual({
      refused: 'its expires must be an ISO 8601 time with a zone, such as 2026-12-02T18:00:00Z',
    });
  });

  it('counts the reason without its surrounding blanks: 20 characters pass, 19 do not', () => {
    const twenty = '12345678901234567890';
    expect(evaluateBreakGlass(value({ reason: `  ${twenty}  `, expires: '2026-12-02T16:00:00Z' }), NOW, SHA)).toEqual({
      allowed: { reason: twenty, expires: new Date('2026-12-02T16:00:00Z') },
    });
    expect(
      evaluateBreakGlass(value({ reason: ` ${twenty.slice(1)} `, expires: '2026-12-02T16:00:00Z' }), NOW, SHA),
    ).toEqual({ refused: 'its reason must be a sentence of at least 20 characters' });
  });

  it('refuses a reason that is not text, and JSON null', () => {
    expect(evaluateBreakGlass(value({ reason: 123456789012345, expires: '2026-12-02T16:00:00Z' }), NOW, SHA)).toEqual({
      refused: 'its reason must be a sentence of at least 20 characters',
    });
    expect(evaluateBreakGlass('null', NOW, SHA)).toEqual({
      refused: `the value of ${BREAK_GLASS_PARAMETER} is not a JSON object`,
    });
  });

  it.each([
    ['text', '"Prod window moved to Fridays, approved by the change board"'],
    ['a number', '42'],
    ['true', 'true'],
  ])('refuses a JSON value that is %s, which is not an object', (_, raw) => {
    expect(evaluateBreakGlass(raw, NOW, SHA)).toEqual({
      refused: `the value of ${BREAK_GLASS_PARAMETER} is not a JSON object`,
    });
  });

  it('refuses an expiry given as a list, even one holding a valid time', () => {
    expect(evaluateBreakGlass(value({ reason: REASON, expires: ['2026-12-02T16:00:00Z'] }), NOW, SHA)).toEqual({
      refused: 'its expires must be an ISO 8601 time with a zone, such as 2026-12-02T18:00:00Z',
    });
  });

  it('refuses a template limit that is not the sha of this template, even when it is not text', () => {
    expect(
      evaluateBreakGlass(value({ reason: REASON, expires: '2026-12-02T16:00:00Z', template: 7 }), NOW, SHA),
    ).toEqual({ refused: `it is limited to the template 7, not this one (${SHA})` });
  });
});

describe('reading the break-glass parameter, output and failures', () => {
  it('returns the value without the newline the CLI prints', () => {
    expect(readBreakGlass(() => '{"reason":"x"}\n')).toBe('{"reason":"x"}');
  });

  it('reads ParameterNotFound from a stderr Buffer', () => {
    const stderr = Buffer.from('An error occurred (ParameterNotFound) when calling the GetParameter operation: ');
    expect(readBreakGlass(failing(254, stderr as unknown as string))).toBeUndefined();
  });

  it('does not read another error that mentions the parameter as its absence', () => {
    expect(() => readBreakGlass(failing(255, 'ParameterNotFound? Could not connect to the endpoint URL'))).toThrow(
      'aws ssm get-parameter failed (exit 255): ParameterNotFound? Could not connect to the endpoint URL',
    );
  });

  it('falls back to the error message when stderr is empty, and says so when there is neither', () => {
    expect(() => readBreakGlass(failing(1, '  '))).toThrow(
      'aws ssm get-parameter failed (exit 1): Command failed: aws ssm get-parameter',
    );
    const bare: RunCommand = () => {
      throw new Error('');
    };
    expect(() => readBreakGlass(bare)).toThrow(/^aws ssm get-parameter failed: no message$/);
  });
});

describe('the break-glass command an administrator runs', () => {
  it('allows this template for one hour, with a placeholder reason', () => {
    expect(breakGlassCommand(SHA, new Date('2026-12-02T15:20:30.456Z'))).toBe(
      `aws ssm put-parameter --name ${BREAK_GLASS_PARAMETER} --type String --overwrite --value '{"reason":"<why, and who approved it: at least 20 characters>","expires":"2026-12-02T16:20:30Z","template":"${SHA}"}'`,
    );
  });

  it('writes a value the guard accepts once the reason is filled in', () => {
    const command = breakGlassCommand(SHA, NOW);
    const raw = command
      .slice(command.indexOf("'") + 1, -1)
      .replace('<why, and who approved it: at least 20 characters>', REASON);
    expect(evaluateBreakGlass(raw, NOW, SHA)).toEqual({
      allowed: { reason: REASON, expires: new Date('2026-12-02T16:00:00Z'), template: SHA },
    });
  });
});

describe('reading the break-glass parameter with the CLI the CodeBuild image ships', () => {
  it('runs aws without input, reads its output as text and its errors apart, and stops it after a minute', () => {
    const execFileSync = jest
      .spyOn(childProcess, 'execFileSync')
      .mockReturnValue(`${value({ reason: REASON, expires: '2026-12-02T16:00:00Z' })}\n`);
    expect(JSON.parse(readBreakGlass()!).reason).toBe(REASON);
    expect(execFileSync).toHaveBeenCalledWith(
      'aws',
      ['ssm', 'get-parameter', '--name', BREAK_GLASS_PARAMETER, '--query', 'Parameter.Value', '--output', 'text'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 },
    );
  });

  it('keeps the failure of the CLI as the cause of its error', () => {
    const failure = Object.assign(new Error('Command failed: aws ssm get-parameter'), {
      status: 255,
      stderr: 'Could not connect to the endpoint URL',
    });
    const read = () =>
      readBreakGlass(() => {
        throw failure;
      });
    expect(read).toThrow(expect.objectContaining({ cause: failure }));
  });
});
