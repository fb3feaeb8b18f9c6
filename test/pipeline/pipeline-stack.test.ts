import { Match } from 'aws-cdk-lib/assertions';
import { readFileSync } from 'fs';
import { pipelineResource, pipelineStages, stageNamed } from '../support/pipeline-shape';
import { synthApp } from '../support/synth';

const built = synthApp();
const template = built.pipelineTemplate;

describe('The delivery pipeline', () => {
  it('runs Source, Build, UpdatePipeline, Assets, Dev, Staging, ApproveProd, Prod in that order', () => {
    expect(pipelineStages(template).map((s) => s.name)).toEqual([
      'Source',
      'Build',
      'UpdatePipeline',
      'Assets',
      'Dev',
      'Staging',
      'ApproveProd',
      'Prod',
    ]);
  });

  it('is a V2 pipeline', () => {
    expect(pipelineResource(template).PipelineType).toBe('V2');
  });

  it('watches the configured repository and branch through the connection, and triggers on push', () => {
    const [source] = stageNamed(template, 'Source').actions;
    expect(source.provider).toBe('CodeStarSourceConnection');
    expect(source.configuration).toMatchObject({
      FullRepositoryId: built.config.pipeline.repository,
      BranchName: built.config.pipeline.branch,
      ConnectionArn: built.config.pipeline.connectionArn,
      DetectChanges: true,
    });
  });

  it('pins the self-mutation CLI to the aws-cdk version in package-lock.json', () => {
    const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
    const version = lock.packages['node_modules/aws-cdk'].version;
    template.hasResourceProperties('AWS::CodeBuild::Project', {
      Source: { BuildSpec: Match.stringLikeRegexp(`npm install -g aws-cdk@${version.replace(/\./g, '\\.')}`) },
    });
    const specs = Object.values(template.findResources('AWS::CodeBuild::Project')).map((p) =>
      JSON.stringify(p.Properties.Source.BuildSpec),
    );
    expect(specs.filter((s) => s.includes('npm install -g aws-cdk') && !s.includes(`aws-cdk@${version}`))).toEqual([]);
  });

  it('builds with the commands of buildspec/synth.yml, which synthesize, then test the assembly', () => {
    const build = stageNamed(template, 'Build').actions[0];
    expect(build.provider).toBe('CodeBuild');
    const synthProject = Object.values(template.findResources('AWS::CodeBuild::Project'))
      .map((p) => p.Properties.Source.BuildSpec)
      .filter((spec): spec is string => typeof spec === 'string' && spec.startsWith('{'))
      .map((spec) => JSON.parse(spec))
      .find((spec) => JSON.stringify(spec).includes('cdk synth'));
    const commands: string[] = synthProject.phases.build.commands;
    expect(commands.indexOf('npm ci')).toBeGreaterThanOrEqual(0);
    const synth = commands.findIndex((c) => c.startsWith('npx cdk synth'));
    expect(synth).toBeGreaterThan(commands.indexOf('npm ci'));
    expect(commands.findIndex((c) => c.startsWith('npm test'))).toBeGreaterThan(synth);
    expect(synthProject.env.variables.BUILD_ASSEMBLY).toBe('cdk.out');
  });

  it('publishes all assets from one CodeBuild action', () => {
    const assets = stageNamed(template, 'Assets').actions;
    expect(assets.length).toBe(1);
  });

  it('encrypts cross-account artifacts with a rotating key', () => {
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    expect(pipelineResource(template).ArtifactStore ?? pipelineResource(template).ArtifactStores).toBeDefined();
  });
});

describe('Each deploy stage', () => {
  it.each(['dev', 'staging', 'prod'])('%s deploys every stack to its configured account and region', (name) => {
    const stage = built.stage(name);
    const config = built.config.stages.find((s) => s.name === name)!;
    for (const stack of stage.stacks) {
      expect({ stack: stack.stackName, account: stack.account }).toEqual({
        stack: stack.stackName,
        account: config.account,
      });
    }
    expect(stage.stacks.map((s) => s.region)).toContain(config.region);
    const deploys = stageNamed(template, config.displayName).actions.filter((a) => a.provider === 'CloudFormation');
    expect(deploys.length).toBe(stage.stacks.length);
    for (const deploy of deploys) {
      const stack = stage.stacks.find((s) => deploy.name.startsWith(`${s.node.id}.`))!;
      expect(JSON.stringify(deploy.roleArn)).toContain(`:${config.account}:`);
      expect(deploy.configuration.StackName).toBe(stack.stackName);
    }
  });
});

describe('Prod approval', () => {
  const approve = stageNamed(template, 'ApproveProd');
  const approvals = approve.actions.filter((a) => a.category === 'Approval');

  it('is the last action of the stage before Prod, after the change review, so no Prod deploy starts before it is approved', () => {
    expect(approvals).toHaveLength(1);
    expect(approve.actions.map((a) => a.name)).toEqual(['ChangeReview', 'ApproveToProd']);
    expect(approvals[0].runOrder).toBeGreaterThan(approve.actions.find((a) => a.name === 'ChangeReview')!.runOrder);
    expect(stageNamed(template, 'Prod').actions.filter((a) => a.provider === 'CloudFormation').length).toBeGreaterThan(
      0,
    );
  });

  it('notifies the approval topic and links the approver to what to review', () => {
    expect(approvals[0].configuration).toMatchObject({
      NotificationArn: expect.anything(),
      ExternalEntityLink: expect.objectContaining({
        'Fn::Join': expect.arrayContaining([expect.arrayContaining([expect.stringContaining('/report.md')])]),
      }),
      CustomData: expect.stringContaining('Staging'),
    });
  });

  it('is the only stage with an approval', () => {
    const withApproval = pipelineStages(template)
      .filter((s) => s.actions.some((a) => a.category === 'Approval'))
      .map((s) => s.name);
    expect(withApproval).toEqual(['ApproveProd']);
  });
});
