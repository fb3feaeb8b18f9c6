import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import type { ChangeReviewParameters } from '../../../../contracts/change-review-parameters';
import {
  assumeReviewRoles,
  refusedRoleReason,
} from '../../../../lambda/pipeline/private/change-review/assume-review-roles';

const sts = mockClient(STSClient);
beforeEach(() => sts.reset());
afterAll(() => sts.restore());

const ACCOUNT = '111111111111';
const lookupRole = (region: string, qualifier = 'hnb659fds') =>
  `arn:aws:iam::${ACCOUNT}:role/cdk-${qualifier}-lookup-role-${ACCOUNT}-${region}`;
const params = (over: Partial<ChangeReviewParameters> = {}): ChangeReviewParameters => ({
  stage: 'prod',
  account: ACCOUNT,
  region: 'eu-west-2',
  stackNames: ['Prod-Service'],
  stageStacks: { namePrefix: 'Prod-', tags: { stage: 'prod' }, regions: ['eu-west-2', 'us-east-1'] },
  roleArns: { 'eu-west-2': lookupRole('eu-west-2'), 'us-east-1': lookupRole('us-east-1') },
  pipelineAccount: '222222222222',
  policy: { allowReplace: [], failOnDrift: true },
  ...over,
});
/** As STS refuses a role that does not exist or does not trust the caller. */
const refused = Object.assign(
  new Error('User: arn:aws:sts::222222222222:assumed-role/review/x is not authorized to perform: sts:AssumeRole'),
  { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } },
);
const creds = { AccessKeyId: 'ASIA1', SecretAccessKey: 's', SessionToken: 't', Expiration: new Date(0) };
const call = { sleep: async () => undefined, baseDelayMs: 1, attempts: 1 };

describe('assumeReviewRoles', () => {
  it('assumes the role of every region for one hour, with a session name STS accepts', async () => {
    sts.on(AssumeRoleCommand).resolves({ Credentials: creds });
    const roles = await assumeReviewRoles(new STSClient({}), params(), `change-review-${'x'.repeat(80)}`, call);
    expect([...roles.credentials.keys()]).toEqual(['eu-west-2', 'us-east-1']);
    expect(roles.credentials.get('us-east-1')).toEqual({
      accessKeyId: 'ASIA1',
      secretAccessKey: 's',
      sessionToken: 't',
      expiration: new Date(0),
    });
    expect(roles.refused.size).toBe(0);
    expect(sts).toHaveReceivedCommandWith(AssumeRoleCommand, {
      RoleArn: lookupRole('us-east-1'),
      RoleSessionName: `change-review-${'x'.repeat(50)}`,
      DurationSeconds: 3600,
    });
  });

  it('uses the caller credentials, assuming nothing, when the parameters name no role', async () => {
    const roles = await assumeReviewRoles(new STSClient({}), params({ roleArns: undefined }), 's', call);
    expect(roles.credentials.size).toBe(0);
    expect(roles.refused.size).toBe(0);
    expect(sts.calls()).toHaveLength(0);
  });

  it('reports a refused region with the bootstrap command, and keeps the credentials of the others', async () => {
    sts.on(AssumeRoleCommand).resolves({ Credentials: creds });
    sts.on(AssumeRoleCommand, { RoleArn: lookupRole('us-east-1') }).rejects(refused);
    const roles = await assumeReviewRoles(new STSClient({}), params(), 's', call);
    expect([...roles.credentials.keys()]).toEqual(['eu-west-2']);
    expect(roles.refused.get('us-east-1')).toBe(
      `the change review cannot read stage prod in us-east-1: AssumeRole of ${lookupRole('us-east-1')} was refused (AccessDenied: ${refused.message}). ` +
        `It is the CDK bootstrap's lookup role, which exists once the account is bootstrapped in that region trusting the pipeline account: ` +
        `npx cdk bootstrap aws://${ACCOUNT}/us-east-1 --trust 222222222222 --cloudformation-execution-policies <policy ARN> (see the README's roll-out). The review never runs without it.`,
    );
  });

  it('fails a region that has no role, and one whose role returns no credentials', async () => {
    sts.on(AssumeRoleCommand).resolves({});
    const roles = await assumeReviewRoles(
      new STSClient({}),
      params({ roleArns: { 'eu-west-2': lookupRole('eu-west-2') } }),
      's',
      call,
    );
    expect(Object.fromEntries(roles.refused)).toEqual({
      'eu-west-2': `assuming ${lookupRole('eu-west-2')} returned no credentials`,
      'us-east-1': 'the change review has no role to read stage prod in us-east-1',
    });
  });

  it('passes on an error that is not a refusal as it is', async () => {
    sts
      .on(AssumeRoleCommand)
      .rejects(Object.assign(new Error('role session name invalid'), { name: 'ValidationError' }));
    const roles = await assumeReviewRoles(new STSClient({}), params(), 's', call);
    expect(roles.refused.get('eu-west-2')).toBe(
      `assuming ${lookupRole('eu-west-2')} failed: ValidationError: role session name invalid`,
    );
  });
});

describe('assumeReviewRoles, the refusal as the operator reads it', () => {
  const reason = (region: string) =>
    `the change review cannot read stage prod in ${region}: AssumeRole of ${lookupRole(region)} was refused (`;

  it('quotes only the first line of a refusal, at most 300 characters', async () => {
    const long = 'x'.repeat(400);
    sts
      .on(AssumeRoleCommand, { RoleArn: lookupRole('eu-west-2') })
      .rejects(
        Object.assign(new Error(`${long}\nsecond line`), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }),
      );
    const roles = await assumeReviewRoles(new STSClient({}), params(), 's', call);
    expect(roles.refused.get('eu-west-2')).toContain(`${reason('eu-west-2')}AccessDenied: ${'x'.repeat(286)}). It is`);
  });

  it('sends each AssumeRole with the signal that cancels it when its attempt times out', async () => {
    sts.on(AssumeRoleCommand).resolves({ Credentials: creds });
    await assumeReviewRoles(new STSClient({}), params(), 's', call);
    expect(sts.calls()).toHaveLength(2);
    for (const c of sts.calls())
      expect(((c.args as unknown[])[1] as { abortSignal?: unknown } | undefined)?.abortSignal).toBeInstanceOf(
        AbortSignal,
      );
  });
});

describe('refusedRoleReason', () => {
  it('names a custom qualifier in the bootstrap command, and a placeholder when the pipeline account is unknown', () => {
    expect(
      refusedRoleReason(lookupRole('eu-west-2', 'myqual'), 'eu-west-2', params({ pipelineAccount: undefined }), 'x'),
    ).toContain(
      `npx cdk bootstrap aws://${ACCOUNT}/eu-west-2 --trust <pipeline account> --qualifier myqual --cloudformation-execution-policies`,
    );
  });

  it('asks for a role that exists and trusts the caller when it is not the lookup role', () => {
    expect(refusedRoleReason(`arn:aws:iam::${ACCOUNT}:role/review`, 'eu-west-2', params(), 'AccessDenied: no')).toBe(
      `the change review cannot read stage prod in eu-west-2: AssumeRole of arn:aws:iam::${ACCOUNT}:role/review was refused (AccessDenied: no). The role must exist in account ${ACCOUNT} and trust the caller; the review never runs without it.`,
    );
  });
});
