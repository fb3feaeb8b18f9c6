/**
 * Finding the stacks a stage still has deployed but no longer contains, against CloudFormation emulated by
 * moto_server (DescribeStacks, GetTemplate, ListStackResources in three regions).
 */
import { findLeftoverStacks } from '../../../../lambda/pipeline/private/change-review/leftover-stacks';
import type { MotoServer } from '../../../../support/moto';
import { startMoto } from '../../../../support/moto';
import { motoCloudFormation, RETAINED_KEY, seedStacks, TOPIC } from './fixtures/seed-stacks';
import { stageIdentity } from './fixtures/stage-assembly';

const [PRIMARY, DR, EDGE] = ['eu-west-2', 'eu-west-1', 'us-east-1'];
let moto: MotoServer;

beforeAll(async () => {
  moto = await startMoto();
  await seedStacks(moto, [
    // The stage's stacks the assembly still contains.
    { name: 'Prod-Stateful', region: PRIMARY, resources: { DataKey: RETAINED_KEY } },
    { name: 'Prod-Service', region: PRIMARY, resources: { Alerts: TOPIC } },
    // Left by a config that turned backup and WAF off: a key kept in the DR region, a WebACL stack holding no data.
    { name: 'Prod-DrVault', region: DR, resources: { VaultKey: RETAINED_KEY, Alerts: TOPIC } },
    { name: 'Prod-EdgeSecurity', region: EDGE, resources: { Alerts: TOPIC } },
    // The same name as a stack of the assembly, in a region the stage moved away from.
    { name: 'Prod-Service', region: DR, resources: { Alerts: TOPIC } },
    // Not the stage's: another stage, another app, and a stack named like the stage's without its tag.
    {
      name: 'Staging-Backup',
      region: PRIMARY,
      tags: { 'uk-home-improvement:stage': 'staging' },
      resources: { Alerts: TOPIC },
    },
    { name: 'Prod-Billing', region: PRIMARY, tags: { 'billing:stage': 'prod' }, resources: { Alerts: TOPIC } },
    { name: 'Prod-Legacy', region: PRIMARY, tags: {}, resources: { Alerts: TOPIC } },
    { name: 'ProdTools-Backup', region: PRIMARY, resources: { Alerts: TOPIC } },
  ]);
}, 120_000);

afterAll(async () => {
  await moto?.stop();
});

const search = (regions = [PRIMARY, DR, EDGE]) =>
  findLeftoverStacks({
    identity: stageIdentity(regions),
    assemblyStacks: [
      { stackName: 'Prod-Stateful', region: PRIMARY },
      { stackName: 'Prod-Service', region: PRIMARY },
    ],
    cloudFormationIn: (region) => motoCloudFormation(moto, region),
  });

describe('The stacks a stage left deployed', () => {
  it('are the stage-tagged stacks, in every region of the stage, that the assembly no longer contains, with what each holds', async () => {
    const found = await search();
    expect(found.errors).toEqual([]);
    expect(
      found.leftovers.map((l) => ({
        stack: `${l.stackName} (${l.region})`,
        retained: l.retained.map((r) => `${r.logicalId} ${r.type}: ${r.retainedBecause}`),
      })),
    ).toEqual([
      { stack: `Prod-DrVault (${DR})`, retained: ['VaultKey AWS::KMS::Key: DeletionPolicy Retain'] },
      { stack: `Prod-Service (${DR})`, retained: [] },
      { stack: `Prod-EdgeSecurity (${EDGE})`, retained: [] },
    ]);
    expect(found.leftovers[0].retained[0].physicalId).toMatch(/\S+/);
  });

  it("never counts another stage's or another app's stacks, and names those that only share the prefix", async () => {
    const found = await search();
    const names = found.leftovers.map((l) => l.stackName);
    for (const other of ['Staging-Backup', 'Prod-Billing', 'Prod-Legacy', 'ProdTools-Backup'])
      expect(names).not.toContain(other);
    expect(found.untagged.map((u) => u.stackName).sort()).toEqual(['Prod-Billing', 'Prod-Legacy']);
  });

  it('searches only the regions it is given', async () => {
    expect((await search([PRIMARY])).leftovers).toEqual([]);
  });

  it('reports a region it could not search, and searches the others', async () => {
    const found = await findLeftoverStacks({
      identity: stageIdentity([PRIMARY, DR]),
      assemblyStacks: [],
      cloudFormationIn: (region) => motoCloudFormation(moto, region),
      unreadableRegions: new Map([
        [DR, `the change review cannot read stage prod in ${DR}: AssumeRole ... was refused`],
      ]),
    });
    expect(found.errors).toEqual([`the change review cannot read stage prod in ${DR}: AssumeRole ... was refused`]);
    expect(found.leftovers.map((l) => l.stackName).sort()).toEqual(['Prod-Service', 'Prod-Stateful']);
  });
});
