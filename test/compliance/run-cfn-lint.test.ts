import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { PYTHON_TOOLS_INSTALL_COMMAND } from '../../support/python-tools';
import type { CfnLintFinding } from '../support/run-cfn-lint';
import { runCfnLint } from '../support/run-cfn-lint';

/** A fresh directory holding each template as `<name>.template.json`. */
function templateDir(templates: Record<string, unknown>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cfn-lint-'));
  for (const [name, template] of Object.entries(templates))
    writeFileSync(path.join(dir, `${name}.template.json`), JSON.stringify(template));
  return dir;
}

/** A pipeline whose deploy action reads its template from an artifact the action does not take as input. */
const PIPELINE_WITH_WRONG_TEMPLATE_PATH = {
  Resources: {
    Pipeline: {
      Type: 'AWS::CodePipeline::Pipeline',
      Properties: {
        RoleArn: 'arn:aws:iam::111111111111:role/pipeline',
        ArtifactStore: { Type: 'S3', Location: 'artifacts' },
        Stages: [
          {
            Name: 'Source',
            Actions: [
              {
                Name: 'Source',
                ActionTypeId: { Category: 'Source', Owner: 'AWS', Provider: 'S3', Version: '1' },
                Configuration: { S3Bucket: 'src', S3ObjectKey: 'src.zip' },
                OutputArtifacts: [{ Name: 'Synth_Output' }],
              },
            ],
          },
          {
            Name: 'Deploy',
            Actions: [
              {
                Name: 'Deploy',
                ActionTypeId: { Category: 'Deploy', Owner: 'AWS', Provider: 'CloudFormation', Version: '1' },
                InputArtifacts: [{ Name: 'Synth_Output' }],
                Configuration: {
                  ActionMode: 'CREATE_UPDATE',
                  StackName: 'Service',
                  TemplatePath: 'Build_Output::Service.template.json',
                  RoleArn: 'arn:aws:iam::111111111111:role/deploy',
                },
              },
            ],
          },
        ],
      },
    },
  },
};

/** A queue that depends explicitly on a topic it already references (W3005, which the project config ignores). */
const REDUNDANT_DEPENDS_ON = {
  Resources: {
    Topic: { Type: 'AWS::SNS::Topic' },
    Queue: {
      Type: 'AWS::SQS::Queue',
      DependsOn: 'Topic',
      Properties: { QueueName: { 'Fn::GetAtt': ['Topic', 'TopicName'] } },
    },
  },
};

describe('runCfnLint()', () => {
  // One directory, linted once with the project config and once without: each template's findings are its own.
  const dir = templateDir({
    Bad: { Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 'not-a-number' } } } },
    Pipeline: PIPELINE_WITH_WRONG_TEMPLATE_PATH,
    DependsOn: REDUNDANT_DEPENDS_ON,
  });
  let configured: CfnLintFinding[];
  let unconfigured: CfnLintFinding[];
  beforeAll(() => {
    configured = runCfnLint(dir);
    unconfigured = runCfnLint(dir, { configFile: null });
  });
  const of = (findings: CfnLintFinding[], template: string) =>
    findings.filter((f) => f.template === `${template}.template.json`);

  it('returns the findings of a broken template with their rule and template', () => {
    expect(of(configured, 'Bad')).toEqual([
      expect.objectContaining({ template: 'Bad.template.json', rule: expect.stringMatching(/^E3/) }),
    ]);
  });

  it('with the project config, reports a pipeline action whose TemplatePath names an artifact it does not read (E3703)', () => {
    expect(of(configured, 'Pipeline')).toEqual([
      expect.objectContaining({
        rule: 'E3703',
        message: expect.stringContaining("'Build_Output' is not one of ['Synth_Output']"),
      }),
    ]);
  });

  it('lints without any config when asked: a rule the config ignores (W3005) is reported', () => {
    expect(of(configured, 'DependsOn').map((f) => f.rule)).toEqual([]);
    expect(of(unconfigured, 'DependsOn').map((f) => f.rule)).toEqual(['W3005']);
  });

  it('says how to install cfn-lint when it is missing', () => {
    expect(() => runCfnLint(dir, { executable: 'cfn-lint-not-installed' })).toThrow(
      `cfn-lint is not installed (cfn-lint-not-installed not found). Run npm test, which installs the pinned Python tools, or: ${PYTHON_TOOLS_INSTALL_COMMAND}`,
    );
  });
});
