import type { ResourceChange } from '../../../../lambda/pipeline/private/change-review/diff-stacks';
import {
  fitLines,
  renderSummary,
  snsSubject,
  SNS_MAX_MESSAGE_BYTES,
  SNS_MAX_SUBJECT_LENGTH,
} from '../../../../lambda/pipeline/private/change-review/summary';
import {
  driftedResource,
  leftoverStack,
  reviewReport,
  stackChanges,
  usersTableReplaced,
} from './fixtures/review-report';

describe('snsSubject', () => {
  it('makes one printable ASCII line of at most 100 characters', () => {
    const subject = snsSubject(`Prüfung\nof ${'x'.repeat(200)}`);
    expect(subject).toHaveLength(SNS_MAX_SUBJECT_LENGTH);
    expect(subject).toMatch(/^Pr\?fung of x+\.\.\.$/);
  });

  it('leaves a short subject as it is', () => {
    expect(snsSubject('[change review passed] prod: 0 replaced')).toBe('[change review passed] prod: 0 replaced');
  });
});

describe('fitLines', () => {
  it('keeps everything when it fits', () => {
    expect(fitLines(['a', 'b'], ['tail'], 100)).toEqual({ text: 'a\nb\ntail', truncated: false });
  });

  it('cuts whole lines, says how many were left out and always keeps the tail, counting UTF-8 bytes', () => {
    const lines = Array.from({ length: 50 }, (_, i) => `line ${i} ${'é'.repeat(20)}`);
    const { text, truncated } = fitLines(lines, ['Full report: https://example/report'], 600);
    expect(truncated).toBe(true);
    expect(Buffer.byteLength(text, 'utf8')).toBeLessThanOrEqual(600);
    expect(text).toMatch(/line 0 /);
    expect(text).not.toMatch(/line 49 /);
    const kept = text.split('\n').filter((l) => l.startsWith('line ')).length;
    expect(text).toContain(
      `... ${50 - kept} more lines left out: the notification limit is 600 bytes. See the full report.`,
    );
    expect(text.endsWith('Full report: https://example/report')).toBe(true);
  });
});

describe('fitLines at its limits', () => {
  const lines = Array.from({ length: 50 }, (_, i) => `line ${i} ${'x'.repeat(20)}`);
  const tail = ['Full report: https://example.com/report'];
  const keptLines = (text: string) => text.split('\n').filter((l) => l.startsWith('line '));

  it('keeps a message of exactly the limit whole', () => {
    const full = 'a\nb\ntail';
    expect(fitLines(['a', 'b'], ['tail'], Buffer.byteLength(full))).toEqual({ text: full, truncated: false });
    expect(fitLines(['a', 'b'], ['tail'], Buffer.byteLength(full) - 1).truncated).toBe(true);
  });

  it('keeps the first lines in order, then the note, a blank line and the tail', () => {
    const { text } = fitLines(lines, tail, 400);
    const out = text.split('\n');
    const kept = keptLines(text);
    expect(kept).toEqual(lines.slice(0, kept.length));
    expect(out).toEqual([
      ...kept,
      `... ${50 - kept.length} more lines left out: the notification limit is 400 bytes. See the full report.`,
      '',
      ...tail,
    ]);
  });

  it('keeps a line whose message, with the note, is exactly the limit, and drops it one byte under', () => {
    const first = fitLines(lines, tail, 500);
    const exact = Buffer.byteLength(first.text);
    // Same number of digits in the limit and in the count of lines left out: the note keeps its length.
    expect(String(exact)).toHaveLength(3);
    const atLimit = fitLines(lines, tail, exact);
    expect(Buffer.byteLength(atLimit.text)).toBe(exact);
    expect(keptLines(atLimit.text)).toEqual(keptLines(first.text));
    expect(keptLines(fitLines(lines, tail, exact - 1).text)).toEqual(keptLines(first.text).slice(0, -1));
  });

  it('keeps only the tail when the tail alone is over the limit', () => {
    expect(fitLines([], tail, 10)).toEqual({ text: `\n${tail[0]}`, truncated: true });
  });
});

const resource = (
  logicalId: string,
  kind: ResourceChange['kind'],
  replacingProperties: string[] = [],
): ResourceChange => ({
  logicalId,
  type: 'AWS::SQS::Queue',
  kind,
  impact: 'WILL_UPDATE' as never,
  replacingProperties,
  changedProperties: [],
});

const BREAK_GLASS = {
  guard: 'bake',
  key: 'prod.breakGlass.bake',
  weakened: 'prod.delivery.bakeTimeMinutes = 0',
  reason: 'CHG-77: hotfix during the incident',
};

/** Two stacks (one nested, one not deployed yet), every kind of change, drift in two stacks and a leftover. */
const busy = reviewReport({
  passed: false,
  origin: { source: 'pipeline', commit: 'abc1234' },
  failures: ['data loss: Prod-Stateful/UsersTable'],
  breakGlass: [BREAK_GLASS],
  unchecked: ['eu-west-1: the lookup role was refused'],
  stacks: [
    stackChanges({
      resources: [
        resource('Added', 'added'),
        resource('Changed', 'modified'),
        resource('Swapped', 'replaced', ['QueueName', 'FifoQueue']),
        resource('Maybe', 'may-replace', ['RedrivePolicy']),
        resource('Gone', 'removed'),
        resource('Imported', 'imported'),
      ],
      iam: [
        {
          change: 'added',
          effect: 'Allow',
          actions: 'sqs:SendMessage',
          resources: 'arn:aws:sqs:*:*:q',
          principals: 'FnRole',
          condition: 'Bool aws:SecureTransport true',
        },
        {
          change: 'removed',
          effect: 'Allow',
          actions: '',
          resources: '',
          principals: 'FnRole',
          managedPolicy: 'AdministratorAccess',
        },
      ],
      securityGroups: [
        { change: 'removed', direction: 'ingress', group: 'WebSg', protocol: 'tcp 22', peer: '0.0.0.0/0' },
      ],
    }),
    stackChanges({
      stackName: 'Prod-Service',
      nestedPath: ['Search'],
      deployed: false,
      resources: [resource('Index', 'added'), resource('Old', 'replaced')],
      securityGroups: [
        { change: 'added', direction: 'egress', group: 'SearchSg', protocol: 'all', peer: '10.0.0.0/8' },
      ],
    }),
  ],
  dataLoss: {
    blocked: [],
    allowed: [{ ...usersTableReplaced, allowedBy: { logicalId: 'UsersTable', reason: 'CHG-9: data restored' } }],
    unusedExceptions: [],
  },
  drift: [
    { stackName: 'Prod-Service', status: 'DRIFTED', drifted: [driftedResource()] },
    {
      stackName: 'Prod-Web',
      status: 'DRIFTED',
      drifted: [
        driftedResource({ stackName: 'Prod-Web', logicalId: 'Dist', type: 'AWS::CloudFront::Distribution' }),
        driftedResource({ stackName: 'Prod-Web', logicalId: 'Bucket', type: 'AWS::S3::Bucket', status: 'DELETED' }),
      ],
    },
  ],
  leftovers: [leftoverStack({ stackName: 'Prod-Old' }), leftoverStack({ stackName: 'Prod-Older' })],
});

describe('renderSummary: subject', () => {
  it('gives the verdict, the break-glass and the counts summed over every stack', () => {
    expect(renderSummary(busy, undefined).subject).toBe(
      '[change review FAILED, BREAK-GLASS] prod: 3 replaced, 1 removed, 4 IAM/SG, 3 drift, 2 stacks left',
    );
  });

  it('says passed, with no break-glass and no leftover, when the review found nothing', () => {
    expect(renderSummary(reviewReport(), undefined).subject).toBe(
      '[change review passed] prod: 0 replaced, 0 removed, 0 IAM/SG, 0 drift',
    );
  });
});

describe('renderSummary: message', () => {
  it('lists what an approver decides on: why it fails, break-glass, counts, replacements, IAM, drift, the report', () => {
    const { message, truncated } = renderSummary(busy, 'https://example.com/report.md');
    expect(truncated).toBe(false);
    expect(message.split('\n')).toEqual([
      'Change review of prod FAILED for commit abc1234.',
      '',
      'Why it fails:',
      '- data loss: Prod-Stateful/UsersTable',
      '',
      'BREAK-GLASS: prod is a production stage that goes without these guards:',
      '- bake: prod.delivery.bakeTimeMinutes = 0 (prod.breakGlass.bake). Reason: CHG-77: hotfix during the incident',
      '',
      'Could not check (the review fails):',
      '- eu-west-1: the lookup role was refused',
      '',
      'Per stack (added / modified / replaced / removed):',
      '- Prod-Service: 1 / 1 / 2 / 1',
      '- Prod-Service/Search: 1 / 0 / 1 / 0 (not deployed yet)',
      '',
      'Stacks no longer in the assembly (deployed, never deleted by the pipeline):',
      '- Prod-Old (eu-west-2, UPDATE_COMPLETE): holds nothing retained; `npm run cleanup -- --stage prod --delete` deletes it',
      '- Prod-Older (eu-west-2, UPDATE_COMPLETE): holds nothing retained; `npm run cleanup -- --stage prod --delete` deletes it',
      '',
      'Replacements and removals:',
      '- Prod-Service/Swapped (AWS::SQS::Queue) replaced by QueueName, FifoQueue',
      '- Prod-Service/Maybe (AWS::SQS::Queue) may be replaced by RedrivePolicy',
      '- Prod-Service/Gone (AWS::SQS::Queue) removed',
      '- Prod-Service/Search/Old (AWS::SQS::Queue) replaced',
      '- allowed data loss: Prod-Stateful/UsersTable (AWS::DynamoDB::Table) would be replaced (by a change to KeySchema); it is retained (DeletionPolicy Retain); reason: CHG-9: data restored',
      '',
      'IAM and security group changes:',
      '- Prod-Service: + Allow sqs:SendMessage on arn:aws:sqs:*:*:q for FnRole when Bool aws:SecureTransport true',
      '- Prod-Service: - Allow managed policy AdministratorAccess on - for FnRole',
      '- Prod-Service: - ingress WebSg tcp 22 0.0.0.0/0',
      '- Prod-Service: + egress SearchSg all 10.0.0.0/8',
      '',
      'Drift (fails the review):',
      '- Prod-Service/Fn (AWS::Lambda::Function) MODIFIED',
      '- Prod-Web/Dist (AWS::CloudFront::Distribution) MODIFIED',
      '- Prod-Web/Bucket (AWS::S3::Bucket) DELETED',
      'Full report: https://example.com/report.md',
    ]);
  });

  it('says none for each empty part, passed, and that the full report is in the build log without a URL', () => {
    const { message } = renderSummary(reviewReport({ failOnDrift: false, stacks: [stackChanges()] }), undefined);
    expect(message.split('\n')).toEqual([
      'Change review of prod passed.',
      '',
      'Per stack (added / modified / replaced / removed):',
      '- Prod-Service: 0 / 0 / 0 / 0',
      '',
      'Stacks no longer in the assembly (deployed, never deleted by the pipeline): none',
      '',
      'Replacements and removals: none',
      '',
      'IAM and security group changes: none',
      '',
      'Drift (reported only): none',
      'Full report: in the build log of this step.',
    ]);
  });

  it('does not say none when the only replacement is an allowed data loss', () => {
    const r = reviewReport({
      dataLoss: {
        blocked: [],
        allowed: [{ ...usersTableReplaced, allowedBy: { logicalId: 'UsersTable', reason: 'ok' } }],
        unusedExceptions: [],
      },
    });
    expect(renderSummary(r, undefined).message).toContain(
      'Replacements and removals:\n- allowed data loss: Prod-Stateful/UsersTable',
    );
  });

  it('fits the message in the size SNS accepts, keeping the verdict and the link to the full report', () => {
    const many = reviewReport({
      passed: false,
      failures: Array.from(
        { length: 5000 },
        (_, i) => `data loss: Prod-Stateful/Table${i} would be replaced; it is retained`,
      ),
    });
    const full = renderSummary(many, 'https://example.com/report.md');
    expect(SNS_MAX_MESSAGE_BYTES).toBe(262_144);
    expect(full.truncated).toBe(true);
    expect(Buffer.byteLength(full.message)).toBeLessThanOrEqual(SNS_MAX_MESSAGE_BYTES);
    expect(Buffer.byteLength(full.message)).toBeGreaterThan(SNS_MAX_MESSAGE_BYTES - 200);
    expect(full.message.startsWith('Change review of prod FAILED.')).toBe(true);
    expect(full.message.endsWith('Full report: https://example.com/report.md')).toBe(true);
    const small = renderSummary(many, undefined, 1000);
    expect(Buffer.byteLength(small.message)).toBeLessThanOrEqual(1000);
    expect(small.message).toContain('the notification limit is 1000 bytes');
  });
});
