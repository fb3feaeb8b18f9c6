import { readFileSync, readdirSync } from 'fs';
import * as path from 'path';
import { readSharedAssembly } from '../../support/shared-assembly';

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

/** The templates of the pipeline (tooling) account's stacks in the shared assembly, by file name. */
function toolingTemplates(): Record<string, { Resources: Record<string, any> }> {
  const dir = readSharedAssembly().directory;
  return Object.fromEntries(
    readdirSync(dir)
      .filter((f) => f.endsWith('.template.json'))
      .map((f) => [f, JSON.parse(readFileSync(path.join(dir, f), 'utf8'))]),
  );
}

describe("The pipeline account's roles and KMS", () => {
  const templates = toolingTemplates();
  const pipeline = templates['PipelineStack.template.json'];
  const statements = Object.entries(pipeline.Resources)
    .filter(([, r]) => r.Type === 'AWS::IAM::Policy')
    .flatMap(([id, r]) => (r.Properties.PolicyDocument.Statement as Statement[]).map((s) => ({ id, ...s })));
  const kmsStatements = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('kms:')));

  it('grants no KMS action on every key of the account (Resource *)', () => {
    expect(kmsStatements.length).toBeGreaterThan(0);
    const onAnyKey = kmsStatements.filter((s) => [s.Resource].flat().includes('*')).map((s) => s.id);
    expect(onAnyKey).toEqual([]);
  });

  it("limits the pipeline role's use of the cross-region artifact keys to the support stacks' key aliases", () => {
    const aliases = Object.entries(templates)
      .filter(([file]) => file.startsWith('cross-region-stack-'))
      .flatMap(([, t]) => Object.values(t.Resources).filter((r: any) => r.Type === 'AWS::KMS::Alias'))
      .map((r: any) => r.Properties.AliasName as string)
      .sort();
    const byWildcardKey = kmsStatements.filter((s) => JSON.stringify(s.Resource).includes(':key/*'));
    if (aliases.length === 0) {
      expect(byWildcardKey).toEqual([]);
      return;
    }
    expect(byWildcardKey).toHaveLength(1);
    const [statement] = byWildcardKey;
    expect(statement.id).toMatch(/^PipelineRoleDefaultPolicy/);
    const aliasCondition = statement.Condition?.['ForAnyValue:StringEquals']?.['kms:ResourceAliases'];
    expect([aliasCondition].flat().sort()).toEqual(aliases);
  });
});
