import { renderReport } from '../../../../lambda/pipeline/private/change-review/render-report';
import type { ChangeReviewReport } from '../../../../lambda/pipeline/private/change-review/run-change-review';
import {
  driftedResource,
  leftoverStack,
  reviewReport,
  stackChanges,
  usersTableReplaced,
} from './fixtures/review-report';

const lines = (r: ChangeReviewReport) => renderReport(r).split('\n');

/** The lines of the section under `heading` (a `## ` heading), up to the next heading, without blank lines. */
function section(r: ChangeReviewReport, heading: string | RegExp): string[] {
  const all = lines(r);
  const start = all.findIndex((l) => (typeof heading === 'string' ? l === heading : heading.test(l)));
  if (start < 0) throw new Error(`no heading ${heading} in:\n${all.join('\n')}`);
  const end = all.findIndex((l, i) => i > start && l.startsWith('#'));
  return all.slice(start + 1, end < 0 ? undefined : end).filter((l) => l !== '');
}

const headings = (r: ChangeReviewReport) => lines(r).filter((l) => l.startsWith('#'));

const BREAK_GLASS = {
  guard: 'retainData',
  key: 'prod.breakGlass.retainData',
  weakened: 'prod.retainData = false',
  reason: 'INC-1234: rebuild the tables from the export',
};

describe('renderReport: verdict and origin', () => {
  it('heads the report with the stage and the verdict an approver acts on', () => {
    expect(lines(reviewReport({ passed: true }))[0]).toBe('# Change review of prod: PASSED');
    expect(lines(reviewReport({ passed: false, stage: 'staging' }))[0]).toBe('# Change review of staging: FAILED');
  });

  it('says when, by what and for which commit and execution it was made', () => {
    const origin = { source: 'pipeline', commit: 'abc1234', executionId: 'exec-1' };
    expect(lines(reviewReport({ origin }))).toContain(
      'Generated 2026-01-02T03:04:05.000Z by the pipeline, commit abc1234, execution exec-1.',
    );
    expect(lines(reviewReport({ origin: { source: 'cli' } }))).toContain(
      'Generated 2026-01-02T03:04:05.000Z by the cli.',
    );
  });

  it('lists the reasons it fails, and has no such section when it passes', () => {
    const failed = reviewReport({ passed: false, failures: ['data loss: 1 blocked', 'drift: 2 resources'] });
    expect(section(failed, '## Why it fails')).toEqual(['- data loss: 1 blocked', '- drift: 2 resources']);
    expect(headings(reviewReport())).not.toContain('## Why it fails');
  });

  it('shows each break-glass key in use with its reason, and no break-glass section without one', () => {
    expect(section(reviewReport({ breakGlass: [BREAK_GLASS] }), '## BREAK-GLASS: production guards weakened')).toEqual([
      'prod is a production stage that goes without these guards, each under a break-glass key with its reason:',
      '- retainData: prod.retainData = false (prod.breakGlass.retainData). Reason: INC-1234: rebuild the tables from the export',
    ]);
    expect(renderReport(reviewReport())).not.toContain('BREAK-GLASS');
  });

  it('says what it could not check, and has no such section when it checked everything', () => {
    const r = reviewReport({ passed: false, unchecked: ['eu-west-1: the lookup role was refused'] });
    expect(section(r, '## Could not check')).toEqual([
      'The review fails: it could not check what follows. Every finding below is from what it could read.',
      '- eu-west-1: the lookup role was refused',
    ]);
    expect(headings(reviewReport())).not.toContain('## Could not check');
  });

  it('puts the sections in the order an approver reads them, as Markdown with a blank line around each heading', () => {
    const r = reviewReport({
      passed: false,
      failures: ['data loss'],
      breakGlass: [BREAK_GLASS],
      unchecked: ['drift of Prod-Service'],
      stacks: [
        stackChanges({
          resources: [
            {
              logicalId: 'Fn',
              type: 'AWS::Lambda::Function',
              kind: 'modified',
              impact: 'WILL_UPDATE' as never,
              replacingProperties: [],
              changedProperties: ['Code'],
            },
          ],
          iam: [{ change: 'added', effect: 'Allow', actions: 's3:GetObject', resources: '*', principals: 'Fn' }],
          securityGroups: [
            { change: 'added', direction: 'ingress', group: 'Sg', protocol: 'tcp 443', peer: '0.0.0.0/0' },
          ],
          parameters: [{ name: 'P', change: 'added' }],
          outputs: [{ name: 'O', change: 'removed' }],
        }),
        stackChanges({ stackName: 'Prod-Web' }),
      ],
    });
    const all = lines(r);
    expect(headings(r)).toEqual([
      '# Change review of prod: FAILED',
      '## Why it fails',
      '## BREAK-GLASS: production guards weakened',
      '## Could not check',
      '## Data loss',
      '## Stacks no longer in the assembly',
      '## Drift (fails the review)',
      '## Prod-Service (eu-west-2)',
      '## Prod-Web (eu-west-2)',
    ]);
    all.forEach((l, i) => {
      if (!l.startsWith('#')) return;
      if (i > 0) expect([all[i - 2], all[i - 1], l]).toEqual([all[i - 2], '', l]);
      expect([l, all[i + 1]]).toEqual([l, '']);
    });
    // Every block (a table, a list, a paragraph) is separated from the next by exactly one blank line, and every
    // table starts after a blank line, or Markdown runs it into the text above.
    all.forEach((l, i) => {
      if (l.startsWith('|') && !all[i - 1].startsWith('|')) expect([all[i - 1], l]).toEqual(['', l]);
      if (i > 0 && l === '') expect([all[i - 1], l]).not.toEqual(['', '']);
    });
    for (const label of ['IAM changes:', 'Security group changes:', 'Parameters: P (added)', 'Outputs: O (removed)']) {
      const i = all.indexOf(label);
      expect([all[i - 1], label, all[i + 1]]).toEqual(['', label, '']);
    }
  });
});

describe('renderReport: first deployment', () => {
  const FIRST = /^First deployment of prod: none of its stacks exists yet/;
  const notDeployed = stackChanges({ deployed: false });

  it('says so when no stack of the stage exists yet and nothing is left over', () => {
    expect(lines(reviewReport({ stacks: [notDeployed, { ...notDeployed, stackName: 'Prod-Web' }] }))).toContainEqual(
      expect.stringMatching(FIRST),
    );
  });

  it('does not say so when one stack is deployed, when a stack is left over, or when there is no stack at all', () => {
    for (const r of [
      reviewReport({ stacks: [notDeployed, stackChanges({ stackName: 'Prod-Web' })] }),
      reviewReport({ stacks: [notDeployed], leftovers: [leftoverStack()] }),
      reviewReport({ stacks: [] }),
    ])
      expect(lines(r)).not.toContainEqual(expect.stringMatching(FIRST));
  });
});

describe('renderReport: data loss', () => {
  it('says nothing retained is lost when there is no finding', () => {
    expect(section(reviewReport(), '## Data loss')).toEqual(['No retained resource is replaced or removed.']);
  });

  it('names each blocked finding and does not claim that nothing is lost', () => {
    expect(
      section(
        reviewReport({ dataLoss: { blocked: [usersTableReplaced], allowed: [], unusedExceptions: [] } }),
        '## Data loss',
      ),
    ).toEqual([
      '- BLOCKED: Prod-Stateful/UsersTable (AWS::DynamoDB::Table) would be replaced (by a change to KeySchema); it is retained (DeletionPolicy Retain)',
    ]);
  });

  it('names each allowed finding with the reason of its exception, and each unused exception', () => {
    const allowed = {
      ...usersTableReplaced,
      allowedBy: { logicalId: 'UsersTable', reason: 'CHG-9: re-keyed, data restored' },
    };
    const r = reviewReport({
      dataLoss: {
        blocked: [],
        allowed: [allowed],
        unusedExceptions: [
          { logicalId: 'OldTable', stack: 'Prod-Stateful', reason: 'x' },
          { logicalId: 'Search/Index', reason: 'y' },
        ],
      },
    });
    expect(section(r, '## Data loss')).toEqual([
      '- ALLOWED by changeReview.allowReplace: Prod-Stateful/UsersTable (AWS::DynamoDB::Table) would be replaced (by a change to KeySchema); it is retained (DeletionPolicy Retain). Reason: CHG-9: re-keyed, data restored',
      '- Unused exception Prod-Stateful/OldTable (nothing matched it; remove it from changeReview.allowReplace)',
      '- Unused exception Search/Index (nothing matched it; remove it from changeReview.allowReplace)',
    ]);
  });
});

describe('renderReport: stacks no longer in the assembly', () => {
  const HEADING = '## Stacks no longer in the assembly';

  it('says there is none when every deployed stack is in the assembly', () => {
    expect(section(reviewReport(), HEADING)).toEqual(['None: every stack deployed for the stage is in the assembly.']);
  });

  it('names each left-over stack with its state, what it holds, and how to delete one that holds nothing', () => {
    const r = reviewReport({
      leftovers: [
        leftoverStack({ stackName: 'Prod-Empty' }),
        leftoverStack({
          stackName: 'Prod-Data',
          region: 'eu-west-1',
          terminationProtection: true,
          retained: [
            { logicalId: 'Bucket', type: 'AWS::S3::Bucket', physicalId: 'prod-data-bucket', retainedBecause: 'r' },
            { logicalId: 'Search/Table', type: 'AWS::DynamoDB::Table', retainedBecause: 'r' },
          ],
        }),
        leftoverStack({ stackName: 'Prod-Locked', unreadable: 'AccessDenied on GetTemplate' }),
      ],
      untagged: [leftoverStack({ stackName: 'Prod-Legacy' })],
    });
    expect(section(r, HEADING)).toEqual([
      'CDK Pipelines never deletes a stack the assembly no longer contains: each stays deployed, unmanaged. What it holds is a data-loss finding above.',
      '- Prod-Empty (eu-west-2, UPDATE_COMPLETE): holds nothing retained; `npm run cleanup -- --stage prod --delete` deletes it',
      '- Prod-Data (eu-west-1, UPDATE_COMPLETE, termination protection on): holds Bucket (AWS::S3::Bucket prod-data-bucket), Search/Table (AWS::DynamoDB::Table)',
      '- Prod-Locked (eu-west-2, UPDATE_COMPLETE): what it holds could not be read (AccessDenied on GetTemplate)',
      "- not judged: Prod-Legacy (eu-west-2, UPDATE_COMPLETE) is named like the stage's stacks but lacks its stack tags (another app's, or deployed before the app tagged its stacks); never changed or deleted",
    ]);
  });
});

describe('renderReport: drift', () => {
  it('says whether drift fails the review or is only reported', () => {
    expect(headings(reviewReport({ failOnDrift: true }))).toContain('## Drift (fails the review)');
    expect(headings(reviewReport({ failOnDrift: false }))).toContain('## Drift (reported only)');
  });

  it('says no resource drifted, naming only the stacks not deployed yet', () => {
    const r = reviewReport({
      drift: [
        { stackName: 'Prod-Service', status: 'IN_SYNC', drifted: [] },
        { stackName: 'Prod-Web', status: 'NOT_DEPLOYED', drifted: [] },
      ],
    });
    expect(section(r, /^## Drift/)).toEqual(['No drifted resource.', '- Prod-Web: not deployed, nothing to detect']);
  });

  it('names each drifted resource with how its properties differ', () => {
    const r = reviewReport({
      drift: [
        {
          stackName: 'Prod-Service',
          status: 'DRIFTED',
          drifted: [
            driftedResource({
              properties: [
                { path: '/Timeout', difference: 'NOT_EQUAL' },
                { path: '/MemorySize', difference: 'NOT_EQUAL' },
              ],
            }),
            driftedResource({ logicalId: 'Queue', type: 'AWS::SQS::Queue', status: 'DELETED' }),
          ],
        },
      ],
    });
    expect(section(r, /^## Drift/)).toEqual([
      '- Prod-Service/Fn (AWS::Lambda::Function) MODIFIED: /Timeout NOT_EQUAL, /MemorySize NOT_EQUAL',
      '- Prod-Service/Queue (AWS::SQS::Queue) DELETED',
    ]);
  });
});

describe('renderReport: each stack', () => {
  const sectionOf = (s: ReturnType<typeof stackChanges>, heading: string | RegExp = /^## Prod-Service/) =>
    section(reviewReport({ stacks: [s] }), heading);

  it('says a stack without change has none', () => {
    expect(sectionOf(stackChanges())).toEqual(['No change.']);
  });

  it('names a nested stack by its path and a stack never deployed', () => {
    const r = reviewReport({ stacks: [stackChanges({ nestedPath: ['Search', 'Index'], deployed: false })] });
    expect(headings(r)).toContain(
      '## Prod-Service/Search/Index (eu-west-2) - nested stack - not deployed yet: everything is added',
    );
    expect(headings(reviewReport({ stacks: [stackChanges({ nestedPath: [] })] }))).toContain(
      '## Prod-Service (eu-west-2)',
    );
  });

  it('counts a change of any kind as a change: IAM, security groups, parameters or outputs alone', () => {
    for (const s of [
      stackChanges({
        iam: [{ change: 'removed', effect: 'Allow', actions: 'sqs:*', resources: '', principals: 'Fn' }],
      }),
      stackChanges({
        securityGroups: [{ change: 'removed', direction: 'egress', group: 'Sg', protocol: 'all', peer: '10.0.0.0/8' }],
      }),
      stackChanges({ parameters: [{ name: 'P', change: 'modified' }] }),
      stackChanges({ outputs: [{ name: 'O', change: 'added' }] }),
    ]) {
      const body = sectionOf(s);
      expect(body).not.toContain('No change.');
      expect(body[0]).toBe('Resources: 0 added, 0 modified, 0 replaced, 0 may be replaced, 0 removed.');
    }
  });

  it('counts and tabulates each changed resource with why it is replaced and why it is retained', () => {
    const base = {
      impact: 'WILL_UPDATE' as never,
      replacingProperties: [] as string[],
      changedProperties: [] as string[],
    };
    const s = stackChanges({
      resources: [
        { ...base, logicalId: 'Fn', type: 'AWS::Lambda::Function', kind: 'added', impact: 'WILL_CREATE' as never },
        {
          ...base,
          logicalId: 'Users',
          type: 'AWS::DynamoDB::Table',
          kind: 'replaced',
          impact: 'WILL_REPLACE' as never,
          replacingProperties: ['KeySchema', 'TableName'],
          changedProperties: ['KeySchema', 'TableName', 'Tags'],
          retainedBecause: 'DeletionPolicy Retain',
          weakenedRetention: ['UpdateReplacePolicy Retain -> Delete', 'DeletionPolicy Retain -> Delete'],
        },
        {
          ...base,
          logicalId: 'Topic',
          type: 'AWS::SNS::Topic',
          kind: 'modified',
          changedProperties: ['DisplayName|x', 'Tags'],
          retainedBecause: 'line one\nline two',
          weakenedRetention: [],
        },
        { ...base, logicalId: 'Q', type: 'AWS::SQS::Queue', kind: 'may-replace', replacingProperties: ['QueueName'] },
        { ...base, logicalId: 'Old', type: 'AWS::SQS::Queue', kind: 'removed', impact: 'WILL_DESTROY' as never },
        { ...base, logicalId: 'Imp', type: 'AWS::S3::Bucket', kind: 'imported', impact: 'WILL_IMPORT' as never },
      ],
    });
    expect(sectionOf(s)).toEqual([
      'Resources: 1 added, 1 modified, 1 replaced, 1 may be replaced, 1 removed, 1 imported.',
      '| Change | Logical id | Type | CloudFormation impact | Properties | Retained |',
      '|---|---|---|---|---|---|',
      '| added | Fn | AWS::Lambda::Function | WILL_CREATE |  |  |',
      '| replaced | Users | AWS::DynamoDB::Table | WILL_REPLACE | KeySchema, TableName, Tags (replaces: KeySchema, TableName) | DeletionPolicy Retain; weakened: UpdateReplacePolicy Retain -> Delete, DeletionPolicy Retain -> Delete |',
      '| modified | Topic | AWS::SNS::Topic | WILL_UPDATE | DisplayName\\|x, Tags | line one line two |',
      '| may-replace | Q | AWS::SQS::Queue | WILL_UPDATE |  (replaces: QueueName) |  |',
      '| removed | Old | AWS::SQS::Queue | WILL_DESTROY |  |  |',
      '| imported | Imp | AWS::S3::Bucket | WILL_IMPORT |  |  |',
    ]);
  });

  it('tabulates IAM changes, added and removed, and lists security group rules, parameters and outputs', () => {
    const s = stackChanges({
      iam: [
        {
          change: 'added',
          effect: 'Allow',
          actions: 'dynamodb:GetItem,dynamodb:PutItem',
          resources: 'arn:aws:dynamodb:*:*:table/Users',
          principals: 'AWS:FnRole',
          condition: '{"Bool":{"aws:SecureTransport":"true"}}',
        },
        { change: 'removed', effect: 'Deny', actions: 'a|b', resources: '*', principals: 'x\ny' },
        {
          change: 'added',
          effect: 'Allow',
          actions: '',
          resources: '',
          principals: 'FnRole',
          managedPolicy: 'ReadOnlyAccess',
        },
      ],
      securityGroups: [
        { change: 'added', direction: 'ingress', group: 'WebSg', protocol: 'tcp 443', peer: '0.0.0.0/0' },
        { change: 'removed', direction: 'egress', group: 'WebSg', protocol: 'all', peer: '10.0.0.0/8' },
      ],
      parameters: [
        { name: 'Version', change: 'added' },
        { name: 'Old', change: 'removed' },
      ],
      outputs: [
        { name: 'Url', change: 'modified' },
        { name: 'Arn', change: 'added' },
      ],
    });
    expect(sectionOf(s)).toEqual([
      'Resources: 0 added, 0 modified, 0 replaced, 0 may be replaced, 0 removed.',
      'IAM changes:',
      '| | Effect | Actions | Resources | Principals | Condition |',
      '|---|---|---|---|---|---|',
      '| + | Allow | dynamodb:GetItem,dynamodb:PutItem | arn:aws:dynamodb:*:*:table/Users | AWS:FnRole | {"Bool":{"aws:SecureTransport":"true"}} |',
      '| - | Deny | a\\|b | * | x y |  |',
      '| + | Allow | managed policy ReadOnlyAccess |  | FnRole |  |',
      'Security group changes:',
      '- + ingress WebSg tcp 443 0.0.0.0/0',
      '- - egress WebSg all 10.0.0.0/8',
      'Parameters: Version (added), Old (removed)',
      'Outputs: Url (modified), Arn (added)',
    ]);
  });
});
