import * as p from '../../lib/config/parsers';

// A value comes from cdk.json (JSON types) or from `-c key=value` (always a string): each parser is tried with both.

describe('bool', () => {
  it('reads JSON booleans and the strings true/false (trimmed), nothing else', () => {
    expect([true, false, 'true', 'false', ' true ', 'false\n'].map(p.bool)).toEqual([
      true,
      false,
      true,
      false,
      true,
      false,
    ]);
    for (const raw of ['yes', 'TRUE', '1', 1, 0, '', null, undefined, {}]) expect(p.bool(raw)).toBe(p.INVALID);
  });
});

describe('int', () => {
  const parse = p.int(-5, 10);

  it('accepts whole numbers from min to max, as JSON numbers or decimal strings', () => {
    expect([-5, 0, 10, '-5', '10', ' 7 ', '007'].map(parse)).toEqual([-5, 0, 10, -5, 10, 7, 7]);
  });

  it('refuses one below min and one above max', () => {
    for (const raw of [-6, 11, '-6', '11']) expect(parse(raw)).toBe(p.INVALID);
  });

  it('refuses fractions, exponents, hex, empty text and non-numbers', () => {
    for (const raw of [2.5, '2.5', '1e1', '0x5', '5x', 'x5', '', '-', ' ', true, null, undefined, [3], NaN]) {
      expect(parse(raw)).toBe(p.INVALID);
    }
  });
});

describe('decimal', () => {
  const parse = p.decimal(0.1, 100);

  it('accepts numbers from min to max, with or without a fraction, as JSON numbers or strings', () => {
    expect([0.1, 100, 5, '0.1', '100', '5', ' 2.75 '].map(parse)).toEqual([0.1, 100, 5, 0.1, 100, 5, 2.75]);
  });

  it('refuses values just outside the range', () => {
    for (const raw of [0.09, 100.01, '0.09', '100.5', 0]) expect(parse(raw)).toBe(p.INVALID);
  });

  it('refuses signs, half-written fractions, exponents, infinities and non-numbers', () => {
    for (const raw of ['+5', '-5', '5.', '.5', '1e1', '5x', 'x5', '5.5.5', '', Infinity, NaN, true, null, undefined]) {
      expect(parse(raw)).toBe(p.INVALID);
    }
  });
});

describe('intIn', () => {
  it('accepts only the listed values, as numbers or strings', () => {
    const parse = p.intIn(p.LOG_RETENTION_DAYS);
    expect([1, 3653, '14', 365].map(parse)).toEqual([1, 3653, 14, 365]);
    for (const raw of [0, 2, 10, 3654, '10', 7.5, 'x']) expect(parse(raw)).toBe(p.INVALID);
  });
});

describe('offOr', () => {
  it('reads "off" (trimmed) as undefined and hands anything else to its parser', () => {
    const parse = p.offOr(p.int(1, 365));
    expect(parse('off')).toBeUndefined();
    expect(parse(' off ')).toBeUndefined();
    expect(parse('35')).toBe(35);
    expect(parse(35)).toBe(35);
    expect(parse('OFF')).toBe(p.INVALID);
    expect(parse(0)).toBe(p.INVALID);
  });
});

describe('listItems', () => {
  it('takes a JSON array as it is', () => {
    const list = ['a', 1];
    expect(p.listItems(list)).toBe(list);
  });

  it('reads a string holding a JSON array, and comma-separated text with empty items dropped', () => {
    expect(p.listItems(' ["a", "b"] ')).toEqual(['a', 'b']);
    expect(p.listItems('[]')).toEqual([]);
    expect(p.listItems(' a , b,,c ')).toEqual(['a', 'b', 'c']);
    expect(p.listItems('')).toEqual([]);
    expect(p.listItems('single')).toEqual(['single']);
  });

  it('is undefined for malformed JSON, JSON that is not an array, and values that are neither list nor string', () => {
    for (const raw of ['["a",', '[{]', 42, true, null, undefined, { a: 1 }]) expect(p.listItems(raw)).toBeUndefined();
    // Text that does not start with `[` is comma-separated text, whatever it looks like.
    expect(p.listItems('{"a":1}')).toEqual(['{"a":1}']);
  });
});

describe('listOf', () => {
  const parse = p.listOf(p.stageName, { nonEmpty: true, distinct: true });

  it('reads every item with the item parser', () => {
    expect(parse('dev, prod')).toEqual(['dev', 'prod']);
    expect(parse(['dev', 'Prod'])).toBe(p.INVALID);
    expect(parse(42)).toBe(p.INVALID);
  });

  it('refuses an empty list only when nonEmpty, and a repeated item only when distinct', () => {
    expect(parse([])).toBe(p.INVALID);
    expect(parse('dev,dev')).toBe(p.INVALID);
    const loose = p.listOf(p.stageName);
    expect(loose([])).toEqual([]);
    expect(loose('dev,dev')).toEqual(['dev', 'dev']);
  });
});

describe('oneOf and matching', () => {
  it('compare the trimmed string, and refuse what is not a string', () => {
    const monitoring = p.oneOf(['basic', 'full'] as const);
    expect(monitoring(' full ')).toBe('full');
    expect(monitoring('Full')).toBe(p.INVALID);
    expect(monitoring(undefined)).toBe(p.INVALID);
    expect(p.accountId(' 111111111111 ')).toBe('111111111111');
    expect(p.accountId(111111111111)).toBe(p.INVALID);
  });
});

describe('values with a fixed shape', () => {
  it.each<[string, p.Parser<unknown>, unknown[], unknown[]]>([
    [
      'email',
      p.email,
      ['ops@example.com', 'a.b+c@mail.example.co.uk'],
      ['ops@', '@example.com', 'ops@example', 'a b@example.com'],
    ],
    ['accountId', p.accountId, ['111111111111'], ['11111111111', '1111111111111', '11111111111x']],
    ['region', p.region, ['eu-west-2', 'us-east-1', 'mx-central-1'], ['eu-west-9', 'EU-WEST-2', '']],
    [
      'stageName',
      p.stageName,
      ['dev', 'qa2', 'abcdefghijkl'],
      ['abcdefghijklm', '2dev', 'Dev', 'my-stage', '', undefined],
    ],
    [
      'connectionArn',
      p.connectionArn,
      [
        'arn:aws:codeconnections:eu-west-2:999999999999:connection/00000000-0000-4000-8000-000000000000',
        'arn:aws:codestar-connections:us-east-1:999999999999:connection/0a1b2c3d-0000-4000-8000-00000000000f',
      ],
      [
        'arn:aws:codecommit:eu-west-2:999999999999:connection/00000000-0000-4000-8000-000000000000',
        'arn:aws:codeconnections:eu-west-2:99999999999:connection/00000000-0000-4000-8000-000000000000',
        'arn:aws:codeconnections:eu-west-2:999999999999:connection/not-a-uuid',
      ],
    ],
    [
      'domainName',
      p.domainName,
      ['app.example.com', 'a-b.example.co.uk'],
      ['example', 'App.example.com', '-a.example.com', 'a..com'],
    ],
    [
      'cloudFrontCertificateArn',
      p.cloudFrontCertificateArn,
      ['arn:aws:acm:us-east-1:333333333333:certificate/00000000-0000-4000-8000-000000000000'],
      ['arn:aws:acm:eu-west-2:333333333333:certificate/00000000-0000-4000-8000-000000000000'],
    ],
    [
      'repository',
      p.repository,
      ['example-org/example-repo', 'o/r.js'],
      ['just-a-name', '/repo', 'org/', 'a/b/c', '-org/repo'],
    ],
    [
      'branch',
      p.branch,
      ['main', 'release/1.2', 'feature_x-1'],
      ['-main', '/main', 'main/', 'feature..x', 'my branch', '', 42],
    ],
    [
      'timeZone',
      p.timeZone,
      ['Europe/London', 'UTC', 'America/New_York'],
      ['Europe/Atlantis', '', '   ', 0, undefined],
    ],
  ])('%s accepts what it should and refuses the rest', (_name, parse, good, bad) => {
    for (const raw of good) expect(parse(raw)).toBe(raw);
    for (const raw of bad) expect(parse(raw)).toBe(p.INVALID);
  });
});

describe('reason', () => {
  const parse = p.reason(20, 30);

  it('reads a reason as one line: runs of white space, line breaks included, become one space', () => {
    expect(parse('  INC-1 restore\n\n  approved \t by lead ')).toBe('INC-1 restore approved by lead');
  });

  it('counts the length after the white space is folded: exactly min and max pass, one less or more does not', () => {
    expect(parse('a'.repeat(20))).toBe('a'.repeat(20));
    expect(parse('a'.repeat(30))).toBe('a'.repeat(30));
    expect(parse('a'.repeat(19))).toBe(p.INVALID);
    expect(parse('a'.repeat(31))).toBe(p.INVALID);
    expect(parse(`${'a'.repeat(10)}          ${'b'.repeat(8)}`)).toBe(p.INVALID); // 19 characters once folded
    expect(parse(20)).toBe(p.INVALID);
  });
});

describe('deploymentWindowCron', () => {
  it('accepts a DeploymentWindow cron and normalises its spacing', () => {
    expect(p.deploymentWindowCron('  *  *   9-15 ? *  MON-THU ')).toBe('* * 9-15 ? * MON-THU');
    expect(p.deploymentWindowCron('* 0 10 L-30 * ?')).toBe('* 0 10 L-30 * ?');
  });

  it('refuses a day-of-month offset beyond 30 days before the last day (L-31), and what is not a cron', () => {
    expect(p.deploymentWindowCron('* 0 10 L-31 * ?')).toBe(p.INVALID);
    expect(p.deploymentWindowCron('weekdays')).toBe(p.INVALID);
    expect(p.deploymentWindowCron(['* * 9-15 ? * MON-THU'])).toBe(p.INVALID);
  });
});
