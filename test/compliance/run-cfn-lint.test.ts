import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { runCfnLint } from '../support/run-cfn-lint';

describe('runCfnLint()', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cfn-lint-'));
  writeFileSync(path.join(dir, 'Bad.template.json'), JSON.stringify({
    Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 'not-a-number' } } },
  }));

  it('returns the findings of a broken template with their rule and template', () => {
    const findings = runCfnLint(dir);
    expect(findings).toEqual([expect.objectContaining({ template: 'Bad.template.json', rule: expect.stringMatching(/^E3/) })]);
  });

  it('says how to install cfn-lint when it is missing', () => {
    expect(() => runCfnLint(dir, 'cfn-lint-not-installed')).toThrow('cfn-lint is not installed (not found on PATH). Install it with: pip install cfn-lint==1.51.0');
  });
});
