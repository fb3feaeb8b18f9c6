import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { readAssemblyStacks, stageStacks } from '../../../../lambda/pipeline/private/change-review/cloud-assembly';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cloud-assembly-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const write = (file: string, content: unknown) => {
  mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  writeFileSync(path.join(dir, file), JSON.stringify(content));
};
const stack = (templateFile: string, environment?: string, properties: Record<string, unknown> = {}) => ({
  type: 'aws:cloudformation:stack',
  ...(environment ? { environment } : {}),
  properties: { templateFile, ...properties },
});
const template = { Resources: { Q: { Type: 'AWS::SQS::Queue' } } };

/** A pipeline assembly: one stage assembly holding the stage's stacks, beside artifacts that are not stacks. */
function pipelineAssembly() {
  write('manifest.json', {
    artifacts: {
      Tree: { type: 'cdk:tree', properties: { file: 'tree.json' } },
      NoDirectory: { type: 'cdk:cloud-assembly' },
      NoTemplate: { type: 'aws:cloudformation:stack', environment: 'aws://333333333333/eu-west-2' },
      'assembly-Prod': { type: 'cdk:cloud-assembly', properties: { directoryName: 'assembly-Prod' } },
    },
  });
  write('assembly-Prod/manifest.json', {
    artifacts: {
      OtherAccountService: stack('Other.template.json', 'aws://111111111111/eu-west-2', { stackName: 'Prod-Service' }),
      ProdService: stack('ProdService.template.json', 'aws://333333333333/eu-west-2', {
        stackName: 'Prod-Service',
        tags: { 'uk-home-improvement:stage': 'prod' },
      }),
      'Prod-Edge': stack('ProdEdge.template.json', 'aws://unknown-account/us-east-1'),
      'Prod-Agnostic': stack('ProdAgnostic.template.json'),
    },
  });
  write('assembly-Prod/ProdService.template.json', template);
}

describe('readAssemblyStacks', () => {
  it('refuses a directory without manifest.json, saying how to make one', () => {
    expect(() => readAssemblyStacks(dir)).toThrow(
      new Error(`${dir} is not a cloud assembly (no manifest.json); run cdk synth or pass --assembly`),
    );
  });

  it('finds no stack in an assembly without artifacts', () => {
    write('manifest.json', { version: '41.0.0' });
    expect(readAssemblyStacks(dir)).toEqual([]);
  });

  it('reads the stacks of nested stage assemblies with their name, environment and tags', () => {
    pipelineAssembly();
    const stacks = readAssemblyStacks(dir);
    expect(stacks.map(({ template: _, ...s }) => s)).toEqual([
      {
        stackName: 'Prod-Service',
        account: '111111111111',
        region: 'eu-west-2',
        templateFile: path.join(dir, 'assembly-Prod', 'Other.template.json'),
        tags: {},
      },
      {
        stackName: 'Prod-Service',
        account: '333333333333',
        region: 'eu-west-2',
        templateFile: path.join(dir, 'assembly-Prod', 'ProdService.template.json'),
        tags: { 'uk-home-improvement:stage': 'prod' },
      },
      {
        stackName: 'Prod-Edge',
        account: 'unknown-account',
        region: 'us-east-1',
        templateFile: path.join(dir, 'assembly-Prod', 'ProdEdge.template.json'),
        tags: {},
      },
      {
        stackName: 'Prod-Agnostic',
        account: undefined,
        region: undefined,
        templateFile: path.join(dir, 'assembly-Prod', 'ProdAgnostic.template.json'),
        tags: {},
      },
    ]);
    expect(stacks[1].template()).toEqual(template);
  });

  it.each([
    ['another scheme', 'gcp-aws://111111111111/eu-west-2'],
    ['a line after it', 'aws://111111111111/eu-west-2\nextra'],
    ['no region', 'aws://111111111111'],
  ])(
    'reads no account or region from an environment with %s (only aws://<account>/<region> is one)',
    (_, environment) => {
      write('manifest.json', { artifacts: { Odd: stack('Odd.template.json', environment) } });
      expect(readAssemblyStacks(dir).map((s) => [s.stackName, s.account, s.region])).toEqual([
        ['Odd', undefined, undefined],
      ]);
    },
  );
});

describe('stageStacks', () => {
  it('picks the named stacks deployed to the account, environment-agnostic ones included, in the order asked', () => {
    pipelineAssembly();
    const stacks = stageStacks(dir, ['Prod-Agnostic', 'Prod-Service', 'Prod-Edge'], '333333333333');
    expect(stacks.map((s) => [s.stackName, s.account])).toEqual([
      ['Prod-Agnostic', undefined],
      ['Prod-Service', '333333333333'],
      ['Prod-Edge', 'unknown-account'],
    ]);
  });

  it('names every stack the assembly lacks for the account', () => {
    pipelineAssembly();
    expect(() => stageStacks(dir, ['Prod-Service', 'Prod-Data', 'Prod-Search'], '222222222222')).toThrow(
      new Error(`the cloud assembly ${dir} has no stack Prod-Service, Prod-Data, Prod-Search for account 222222222222`),
    );
  });
});
