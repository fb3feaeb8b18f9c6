type Statement = { Effect?: string; Action?: unknown; NotAction?: unknown; Principal?: unknown };
type Resource = { Type: string; Properties?: Record<string, any> };

const asList = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Policy documents of a resource: identity policies, inline role policies, trust policies. */
function policyDocuments(r: Resource): { kind: 'identity' | 'trust'; doc: { Statement?: Statement[] } }[] {
  const p = r.Properties ?? {};
  const docs: { kind: 'identity' | 'trust'; doc: any }[] = [];
  if (['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'].includes(r.Type) && p.PolicyDocument)
    docs.push({ kind: 'identity', doc: p.PolicyDocument });
  if (['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group'].includes(r.Type)) {
    for (const inline of asList(p.Policies) as any[]) docs.push({ kind: 'identity', doc: inline.PolicyDocument });
    if (p.AssumeRolePolicyDocument) docs.push({ kind: 'trust', doc: p.AssumeRolePolicyDocument });
  }
  return docs;
}

/** 12-digit account ids an AWS principal names (`123…`, `arn:aws:iam::123…:root`, Fn::Join parts). */
function principalAccounts(principal: unknown): string[] {
  const aws = (principal as { AWS?: unknown })?.AWS;
  if (aws === undefined) return [];
  return JSON.stringify(aws).match(/(?<![0-9])\d{12}(?![0-9])/g) ?? (JSON.stringify(aws).includes('"*"') ? ['*'] : []);
}

/**
 * IAM problems of a template, one sentence per statement: an Allow of Action "*" or "<service>:*",
 * NotAction in an Allow, and trust policies that let an account other than the stack's own or the
 * pipeline account assume a role.
 */
export function iamFindings(
  stackName: string,
  template: { Resources?: Record<string, Resource> },
  opts: { ownAccount: string; pipelineAccount: string },
): string[] {
  const out: string[] = [];
  for (const [logicalId, r] of Object.entries(template.Resources ?? {})) {
    for (const { kind, doc } of policyDocuments(r)) {
      for (const s of asList(doc?.Statement) as Statement[]) {
        if (s.Effect !== 'Allow') continue;
        if (kind === 'identity') {
          const wild = asList(s.Action).filter(
            (a) => typeof a === 'string' && (a === '*' || /^[a-z0-9-]+:\*$/i.test(a)),
          );
          if (wild.length > 0)
            out.push(
              `${stackName}/${logicalId}: allows Action ${wild.map((a) => `"${a}"`).join(', ')}; name the actions.`,
            );
          if (s.NotAction !== undefined)
            out.push(`${stackName}/${logicalId}: Allow with NotAction grants everything else; name the actions.`);
        } else {
          for (const account of principalAccounts(s.Principal)) {
            if (account !== opts.ownAccount && account !== opts.pipelineAccount) {
              out.push(
                `${stackName}/${logicalId}: trust policy lets account ${account} assume the role; only the pipeline account ${opts.pipelineAccount} may.`,
              );
            }
          }
        }
      }
    }
  }
  return out;
}
