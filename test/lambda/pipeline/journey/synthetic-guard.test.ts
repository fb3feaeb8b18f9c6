import { DeleteItemCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import {
  deleteSyntheticUser,
  setSyntheticPassword,
  syntheticEmail,
} from '../../../../lambda/pipeline/private/journey/cognito-users';
import { requireSyntheticKey } from '../../../../lambda/pipeline/private/journey/synthetic-guard';
import { deleteSyntheticItem, readSyntheticItem } from '../../../../lambda/pipeline/private/journey/synthetic-items';
import { hasSyntheticGroup, isSyntheticEmail, isSyntheticKey } from '../../../../contracts/synthetic-data';
import { FakeJourneyStage, POOL_ID, PROJECTS } from './fake-journey-stage';

let stage: FakeJourneyStage;
beforeEach(() => {
  stage = new FakeJourneyStage();
});
afterEach(() => stage.restore());

/**
 * Amazon Cognito has no IAM condition key on the user name, so the journey role may manage any user of the
 * pool; the journey's own guard is what keeps it to synthetic users. These tests prove the guard.
 */
describe("The journey's guard on what it touches", () => {
  it.each(['alice@example.com', 'journey-run1-owner@example.com', 'journey-run1-owner@synthetic.invalid.example.com'])(
    'refuses to delete or reset the password of the user %s, and sends no call',
    async (email) => {
      const ctx = stage.context();
      stage.users.set(email, { sub: 'real-user', groups: [] });
      await expect(deleteSyntheticUser(ctx, POOL_ID, email)).rejects.toThrow(
        `refused to touch user ${JSON.stringify(email)}: not a synthetic user (journey-…@synthetic.invalid)`,
      );
      await expect(setSyntheticPassword(ctx, POOL_ID, email)).rejects.toThrow('refused to touch user');
      expect(stage.cognito.calls()).toHaveLength(0);
      expect(stage.users.has(email)).toBe(true);
    },
  );

  it.each(['3f2c9a1e-0000-4000-8000-000000000000', 'JOURNEY-p1', 'xjourney-p1', 'journey-'])(
    'refuses to delete the item %s, and sends no call',
    async (key) => {
      await expect(
        deleteSyntheticItem(stage.context(), { tableName: PROJECTS, partitionKey: 'projectId' }, key),
      ).rejects.toThrow(`refused to touch item ${JSON.stringify(key)}: not a synthetic key (journey-…)`);
      expect(stage.dynamo.commandCalls(DeleteItemCommand)).toHaveLength(0);
    },
  );

  it('deletes a synthetic key only when the item is absent or marked synthetic', async () => {
    stage.tables[PROJECTS].set('journey-p1', { projectId: 'journey-p1' });
    await expect(
      deleteSyntheticItem(stage.context(), { tableName: PROJECTS, partitionKey: 'projectId' }, 'journey-p1'),
    ).rejects.toThrow(/ConditionalCheckFailedException/);
    expect(stage.dynamo.commandCalls(DeleteItemCommand)[0].args[0].input).toMatchObject({
      ConditionExpression: 'attribute_not_exists(#key) OR #synthetic = :true',
      ExpressionAttributeNames: { '#key': 'projectId', '#synthetic': 'synthetic' },
      ExpressionAttributeValues: { ':true': { BOOL: true } },
    });
    expect(stage.tables[PROJECTS].has('journey-p1')).toBe(true);
  });

  it("reads and deletes an item with the call's abort signal, so a hung call is cut off", async () => {
    const table = { tableName: PROJECTS, partitionKey: 'projectId' };
    await readSyntheticItem(stage.context(), table, 'journey-p1');
    await deleteSyntheticItem(stage.context(), table, 'journey-p1');
    const calls = [...stage.dynamo.commandCalls(GetItemCommand), ...stage.dynamo.commandCalls(DeleteItemCommand)];
    expect(calls).toHaveLength(2);
    for (const c of calls) expect((c.args as unknown[])[1]).toEqual({ abortSignal: expect.any(AbortSignal) });
  });

  it('names a refusal RefusedError, the errorName its log line carries', () => {
    expect(() => requireSyntheticKey('p1')).toThrow(expect.objectContaining({ name: 'RefusedError' }));
  });

  it('names its own users only with the synthetic pattern', () => {
    expect(syntheticEmail('lx2abc', 'owner')).toBe('journey-lx2abc-owner@synthetic.invalid');
    expect(isSyntheticEmail('journey-lx2abc-owner@synthetic.invalid')).toBe(true);
    expect(isSyntheticKey('journey-3f2c9a1e-0000-4000-8000-000000000000')).toBe(true);
  });

  it.each([
    [['synthetic'], true],
    ['synthetic', true],
    ['homeowners,synthetic', true],
    ['[homeowners synthetic]', true],
    ['homeowners', false],
    ['syntheticx', false],
    [undefined, false],
  ])('reads the cognito:groups claim %j as synthetic: %s', (claim, expected) => {
    expect(hasSyntheticGroup(claim)).toBe(expected);
  });
});
