import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { assumeCheckRole } from '../../../../lambda/pipeline/private/assume-role';
import { CheckFailure } from '../../../../lambda/pipeline/private/aws-call';

const ROLE = 'arn:aws:iam::222222222222:role/uk-home-improvement-staging-pipeline-check';
const sts = mockClient(STSClient);
const EXPIRATION = new Date('2026-06-01T12:15:00Z');
const CREDENTIALS = {
  AccessKeyId: 'ASIAEXAMPLE',
  SecretAccessKey: 'secret',
  SessionToken: 'token',
  Expiration: EXPIRATION,
};

beforeEach(() => sts.reset());

describe("Assuming the stage's check role", () => {
  it('asks STS for 15 minutes of the role and returns its credentials', async () => {
    sts.on(AssumeRoleCommand).resolves({ Credentials: CREDENTIALS });
    await expect(assumeCheckRole(new STSClient({}), ROLE, 'health-check-staging')).resolves.toEqual({
      accessKeyId: 'ASIAEXAMPLE',
      secretAccessKey: 'secret',
      sessionToken: 'token',
      expiration: EXPIRATION,
    });
    expect(sts).toHaveReceivedCommandWith(AssumeRoleCommand, {
      RoleArn: ROLE,
      RoleSessionName: 'health-check-staging',
      DurationSeconds: 900,
    });
    // The signal cancels the request when its attempt times out.
    expect((sts.commandCalls(AssumeRoleCommand)[0].args as unknown[])[1]).toEqual({
      abortSignal: expect.any(AbortSignal),
    });
  });

  // RoleSessionName is 2 to 64 characters; DurationSeconds is at least 900:
  // https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
  it('cuts the session name to the 64 characters STS accepts', async () => {
    sts.on(AssumeRoleCommand).resolves({ Credentials: CREDENTIALS });
    await assumeCheckRole(new STSClient({}), ROLE, `termination-protection-check-${'a'.repeat(60)}`);
    const name = sts.commandCalls(AssumeRoleCommand)[0].args[0].input.RoleSessionName!;
    expect(name).toHaveLength(64);
    expect(name.startsWith('termination-protection-check-aaa')).toBe(true);
  });

  it('fails naming the role when STS refuses it, as for a trust policy that does not name the caller', async () => {
    sts.on(AssumeRoleCommand).rejects(
      Object.assign(
        new Error(
          `User: arn:aws:sts::111111111111:assumed-role/x is not authorized to perform: sts:AssumeRole on resource: ${ROLE}`,
        ),
        {
          name: 'AccessDenied',
          $metadata: { httpStatusCode: 403 },
        },
      ),
    );
    const error = await assumeCheckRole(new STSClient({}), ROLE, 'dr-check-staging').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckFailure);
    expect((error as Error).message).toMatch(new RegExp(`^assuming ${ROLE} failed: access denied \\(AccessDenied: `));
  });

  it.each(['AccessKeyId', 'SecretAccessKey', 'SessionToken'] as const)(
    'fails when the answer lacks %s',
    async (missing) => {
      sts.on(AssumeRoleCommand).resolves({ Credentials: { ...CREDENTIALS, [missing]: undefined } });
      await expect(assumeCheckRole(new STSClient({}), ROLE, 'health-check-staging')).rejects.toThrow(
        new CheckFailure(`assuming ${ROLE} returned no credentials`),
      );
    },
  );

  it('fails when the answer has no credentials at all', async () => {
    sts.on(AssumeRoleCommand).resolves({});
    await expect(assumeCheckRole(new STSClient({}), ROLE, 'health-check-staging')).rejects.toThrow(
      `assuming ${ROLE} returned no credentials`,
    );
  });
});
