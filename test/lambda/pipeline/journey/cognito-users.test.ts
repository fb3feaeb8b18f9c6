import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import 'aws-sdk-client-mock-jest';
import { OUTPUTS } from '../../../../contracts/output-names';
import {
  addToSyntheticGroup,
  createSyntheticUser,
  deleteSyntheticUser,
  newPassword,
  setSyntheticPassword,
  syntheticUserExists,
} from '../../../../lambda/pipeline/private/journey/cognito-users';
import { JourneySessions } from '../../../../lambda/pipeline/private/journey/journey-session';
import type { JourneyStage } from '../../../../lambda/pipeline/private/journey/journey-stage';
import { resolveJourneyStage, resolveReadOnlyStage } from '../../../../lambda/pipeline/private/journey/journey-stage';
import {
  API_URL,
  awsError,
  CLIENT_ID,
  FakeJourneyStage,
  MACHINE_ARN,
  POOL_ID,
  PROJECTS,
  QUOTES,
} from './fake-journey-stage';

const OWNER = 'journey-run1-owner@synthetic.invalid';
// Amazon Cognito answers AdminGetUser and AdminDeleteUser for a missing user with UserNotFoundException
// (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminGetUser.html).
const notFound = () => awsError('UserNotFoundException', 'User does not exist.');

let stage: FakeJourneyStage;
beforeEach(() => {
  stage = new FakeJourneyStage();
});
afterEach(() => stage.restore());

describe("The journey's synthetic users", () => {
  it('gets a new password meeting the pool policy each time', () => {
    const first = newPassword();
    expect(first).toMatch(/^[A-Za-z0-9_-]{24}aA1!$/);
    expect(newPassword()).not.toBe(first);
  });

  it('creates a user with a verified e-mail and no invitation, and returns its sub', async () => {
    expect(await createSyntheticUser(stage.context(), POOL_ID, OWNER)).toBe('sub-1');
    expect(stage.cognito).toHaveReceivedCommandWith(AdminCreateUserCommand, {
      UserPoolId: POOL_ID,
      Username: OWNER,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: OWNER },
        { Name: 'email_verified', Value: 'true' },
      ],
    });
  });

  it('returns the sub attribute, not the user name, when they differ', async () => {
    // A pool that keeps the e-mail as the user name: the sub comes back among the attributes.
    stage.cognito.on(AdminCreateUserCommand).resolves({
      User: {
        Username: OWNER,
        Attributes: [
          { Name: 'email', Value: OWNER },
          { Name: 'email_verified', Value: 'true' },
          { Name: 'sub', Value: '6c9f1a2e-0b7d-4e51-9a43-2f1d8c7b5e60' },
        ],
      },
    });
    expect(await createSyntheticUser(stage.context(), POOL_ID, OWNER)).toBe('6c9f1a2e-0b7d-4e51-9a43-2f1d8c7b5e60');
  });

  it('takes the user name as the sub when no sub attribute comes back, and fails when no user does', async () => {
    stage.cognito.on(AdminCreateUserCommand).resolves({ User: { Username: 'sub-from-name', Attributes: [] } });
    expect(await createSyntheticUser(stage.context(), POOL_ID, OWNER)).toBe('sub-from-name');
    stage.cognito.on(AdminCreateUserCommand).resolves({ User: { Username: 'sub-from-name' } });
    expect(await createSyntheticUser(stage.context(), POOL_ID, OWNER)).toBe('sub-from-name');
    stage.cognito.on(AdminCreateUserCommand).resolves({});
    await expect(createSyntheticUser(stage.context(), POOL_ID, OWNER)).rejects.toThrow(
      `AdminCreateUser ${OWNER} returned no user`,
    );
  });

  it('sets a permanent password and returns it, and adds the user to the synthetic group', async () => {
    stage.users.set(OWNER, { sub: 'sub-1', groups: [] });
    const password = await setSyntheticPassword(stage.context(), POOL_ID, OWNER);
    expect(stage.cognito).toHaveReceivedCommandWith(AdminSetUserPasswordCommand, {
      UserPoolId: POOL_ID,
      Username: OWNER,
      Password: password,
      Permanent: true,
    });
    await addToSyntheticGroup(stage.context(), POOL_ID, OWNER);
    expect(stage.cognito).toHaveReceivedCommandWith(AdminAddUserToGroupCommand, {
      UserPoolId: POOL_ID,
      Username: OWNER,
      GroupName: 'synthetic',
    });
    expect(stage.users.get(OWNER)?.groups).toEqual(['synthetic']);
  });

  it('fails naming the user and the group when the synthetic group is missing', async () => {
    stage.users.set(OWNER, { sub: 'sub-1', groups: [] });
    // Amazon Cognito answers AdminAddUserToGroup for a group that does not exist with ResourceNotFoundException
    // (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminAddUserToGroup.html).
    stage.cognito.on(AdminAddUserToGroupCommand).rejects(awsError('ResourceNotFoundException', 'Group not found.'));
    await expect(addToSyntheticGroup(stage.context(), POOL_ID, OWNER)).rejects.toThrow(
      `AdminAddUserToGroup ${OWNER} synthetic failed: ResourceNotFoundException: Group not found.`,
    );
  });

  it('sends every Cognito call with the signal that cancels it when its attempt times out', async () => {
    await createSyntheticUser(stage.context(), POOL_ID, OWNER);
    await setSyntheticPassword(stage.context(), POOL_ID, OWNER);
    await addToSyntheticGroup(stage.context(), POOL_ID, OWNER);
    await syntheticUserExists(stage.context(), POOL_ID, OWNER);
    await deleteSyntheticUser(stage.context(), POOL_ID, OWNER);
    const calls = stage.cognito.calls();
    expect(calls).toHaveLength(5);
    for (const c of calls) expect((c.args as unknown[])[1]).toEqual({ abortSignal: expect.any(AbortSignal) });
  });

  it('deletes a user, and answers false for a user that is already gone', async () => {
    stage.users.set(OWNER, { sub: 'sub-1', groups: [] });
    expect(await deleteSyntheticUser(stage.context(), POOL_ID, OWNER)).toBe(true);
    expect(stage.cognito).toHaveReceivedCommandWith(AdminDeleteUserCommand, { UserPoolId: POOL_ID, Username: OWNER });
    expect(stage.users.has(OWNER)).toBe(false);
    stage.cognito.on(AdminDeleteUserCommand).rejects(notFound());
    expect(await deleteSyntheticUser(stage.context(), POOL_ID, OWNER)).toBe(false);
  });

  it('fails naming the call when a delete is refused', async () => {
    stage.cognito
      .on(AdminDeleteUserCommand)
      .rejects(awsError('AccessDeniedException', 'not authorized to perform: cognito-idp:AdminDeleteUser', 403));
    await expect(deleteSyntheticUser(stage.context(), POOL_ID, OWNER)).rejects.toThrow(
      new RegExp(`^AdminDeleteUser ${OWNER} failed: access denied`),
    );
  });

  it('reads whether a user exists: true, false for UserNotFoundException, a failure otherwise', async () => {
    stage.users.set(OWNER, { sub: 'sub-1', groups: [] });
    expect(await syntheticUserExists(stage.context(), POOL_ID, OWNER)).toBe(true);
    expect(stage.cognito).toHaveReceivedCommandWith(AdminGetUserCommand, { UserPoolId: POOL_ID, Username: OWNER });
    stage.users.delete(OWNER);
    expect(await syntheticUserExists(stage.context(), POOL_ID, OWNER)).toBe(false);
    stage.cognito.on(AdminGetUserCommand).rejects(awsError('InternalErrorException', 'boom', 500));
    await expect(syntheticUserExists(stage.context(), POOL_ID, OWNER)).rejects.toThrow(
      new RegExp(`^AdminGetUser ${OWNER} failed: InternalErrorException: boom`),
    );
  });

  it.each([
    ['create', () => createSyntheticUser(stage.context(), POOL_ID, 'alice@example.com')],
    ['add to the group', () => addToSyntheticGroup(stage.context(), POOL_ID, 'alice@example.com')],
    ['read', () => syntheticUserExists(stage.context(), POOL_ID, 'alice@example.com')],
  ])('refuses to %s a user that is not synthetic, and sends no call', async (_what, run) => {
    await expect(run()).rejects.toThrow('refused to touch user "alice@example.com": not a synthetic user');
    expect(stage.cognito.calls()).toHaveLength(0);
  });
});

const journeyStage: JourneyStage = {
  apiUrl: API_URL,
  userPoolId: POOL_ID,
  clientId: CLIENT_ID,
  projects: { tableName: PROJECTS, partitionKey: 'projectId' },
  quotes: { tableName: QUOTES, partitionKey: 'quoteId' },
  stateMachineArn: MACHINE_ARN,
};

describe('Signed-in sessions', () => {
  it('signs a user in once per invocation, with a new password', async () => {
    stage.users.set(OWNER, { sub: 'sub-1', groups: ['synthetic'] });
    const sessions = new JourneySessions(stage.context(), journeyStage);
    const first = await sessions.tokenOf({ email: OWNER, sub: 'sub-1' });
    expect(await sessions.tokenOf({ email: OWNER, sub: 'sub-1' })).toBe(first);
    expect(first.claims).toMatchObject({ sub: 'sub-1', token_use: 'id', aud: CLIENT_ID });
    expect(stage.cognito.commandCalls(AdminSetUserPasswordCommand)).toHaveLength(1);
    expect(stage.cognito.commandCalls(InitiateAuthCommand)).toHaveLength(1);
  });

  it('signs in again after a failed sign-in', async () => {
    const sessions = new JourneySessions(stage.context(), journeyStage);
    await expect(sessions.tokenOf({ email: OWNER })).rejects.toThrow(/AdminSetUserPassword .* UserNotFoundException/);
    stage.users.set(OWNER, { sub: 'sub-1', groups: [] });
    expect((await sessions.tokenOf({ email: OWNER })).claims.sub).toBe('sub-1');
  });

  it('fails when the token is for another user than the one created', async () => {
    stage.users.set(OWNER, { sub: 'sub-1', groups: [] });
    const sessions = new JourneySessions(stage.context(), journeyStage);
    await expect(sessions.tokenOf({ email: OWNER, sub: 'sub-9' })).rejects.toThrow(
      `sign-in of ${OWNER}: expected an ID token for sub sub-9, got one for sub-1`,
    );
  });
});

describe("The stage's outputs the journey reaches", () => {
  it('reads the API, the user pool, the tables and the workflow from the stacks', async () => {
    expect(await resolveJourneyStage(stage.context())).toEqual(journeyStage);
    expect(await resolveReadOnlyStage(stage.context())).toEqual({ apiUrl: API_URL });
  });

  it('ends the API URL with a slash, so paths resolve under it', async () => {
    stage.cfn.on(DescribeStacksCommand).callsFake(({ StackName }) => ({
      Stacks: [
        {
          StackName,
          StackStatus: 'CREATE_COMPLETE',
          CreationTime: new Date(),
          Outputs: [
            { OutputKey: OUTPUTS.publicApiUrl, OutputValue: 'https://d111111abcdef8.cloudfront.net/api' },
            { OutputKey: OUTPUTS.userPoolId, OutputValue: POOL_ID },
            { OutputKey: OUTPUTS.userPoolClientId, OutputValue: CLIENT_ID },
            { OutputKey: OUTPUTS.projectsTableName, OutputValue: PROJECTS },
            { OutputKey: OUTPUTS.quotesTableName, OutputValue: QUOTES },
            { OutputKey: OUTPUTS.stateMachineArn, OutputValue: MACHINE_ARN },
          ].filter((o) => StackName === 'Staging-Service' || o.OutputKey !== OUTPUTS.publicApiUrl),
        },
      ],
    }));
    expect((await resolveJourneyStage(stage.context())).apiUrl).toBe('https://d111111abcdef8.cloudfront.net/api/');
    expect((await resolveReadOnlyStage(stage.context())).apiUrl).toBe('https://d111111abcdef8.cloudfront.net/api/');
  });

  it('fails naming the output a stack does not have', async () => {
    stage.cfn.on(DescribeStacksCommand).callsFake(({ StackName }) => ({
      Stacks: [{ StackName, StackStatus: 'CREATE_COMPLETE', CreationTime: new Date(), Outputs: [] }],
    }));
    await expect(resolveReadOnlyStage(stage.context())).rejects.toThrow(
      `output ${OUTPUTS.publicApiUrl} not found in stacks Staging-Stateful, Staging-Service`,
    );
  });
});
