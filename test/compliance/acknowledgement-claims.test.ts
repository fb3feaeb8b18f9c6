import { existsSync, readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { Validations } from 'aws-cdk-lib';
import { PIPELINE_ROLE_NAME } from '../../contracts/resource-names';
import { readSharedAssembly } from '../../support/shared-assembly';

/** One acknowledgement of the assembly, with the CloudFormation resources of the construct it sits on. */
interface Claim {
  readonly path: string;
  readonly id: string;
  readonly reason: string;
  /** The resources at or below the acknowledged construct (its policies, its bucket policy). */
  readonly resources: Record<string, any>[];
  /** Every resource of the same stack. */
  readonly stack: Record<string, any>[];
}

/** Every acknowledgement of every stack of the assembly (the stages' nested assemblies included). */
function claims(dir: string): Claim[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry): Claim[] => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return claims(file);
    if (!entry.name.endsWith('.metadata.json')) return [];
    const templateFile = file.replace(/\.metadata\.json$/, '.template.json');
    if (!existsSync(templateFile)) return [];
    const template = JSON.parse(readFileSync(templateFile, 'utf8'));
    const metadata = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { type: string; data: unknown }[]>;
    const logicalIds = Object.entries(metadata).flatMap(([p, entries]) =>
      entries.filter((e) => e.type === 'aws:cdk:logicalId').map((e) => ({ path: p, id: e.data as string })),
    );
    return Object.entries(metadata).flatMap(([p, entries]) =>
      entries
        .filter((e) => e.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((e) => Object.entries(e.data as Record<string, string>))
        .map(([id, reason]) => ({
          path: p,
          id,
          reason,
          resources: logicalIds
            .filter((l) => l.path === p || l.path.startsWith(`${p}/`))
            .map((l) => template.Resources?.[l.id])
            .filter(Boolean),
          stack: Object.values(template.Resources ?? {}),
        })),
    );
  });
}

const all = claims(readSharedAssembly().directory);
const text = (c: Claim) => JSON.stringify(c.resources);
const broken = (filter: (c: Claim) => boolean, holds: (c: Claim) => boolean) =>
  all
    .filter(filter)
    .filter((c) => !holds(c))
    .map((c) => `${c.path} ${c.id}: ${c.reason}`);

describe('An acknowledgement holds for the resource it is on', () => {
  it('was found across the assembly', () => {
    expect(all.length).toBeGreaterThan(100);
  });

  it('credits WAF only where a web ACL protects the resource or its stack', () => {
    const creditsWaf = (c: Claim) =>
      /\bWAF\b/.test(c.reason) && !/\bno WAF\b|WAF is off|stages with WAF|WAF \(waf\.enabled/.test(c.reason);
    const protectedByWaf = (c: Claim) =>
      c.resources.some((r) => r.Properties?.DistributionConfig?.WebACLId !== undefined) ||
      c.stack.some((r) => r.Type === 'AWS::WAFv2::WebACLAssociation' || r.Type === 'AWS::WAFv2::WebACL');
    expect(all.filter(creditsWaf).length).toBeGreaterThan(0);
    expect(broken(creditsWaf, protectedByWaf)).toEqual([]);
  });

  it('names a condition key only where the resource carries it', () => {
    const KEY =
      /\b(aws:SourceAccount|aws:SourceArn|aws:PrincipalArn|dynamodb:Select|kms:ResourceAliases|kms:ViaService|kms:CallerAccount|kms:GrantIsForAWSResource)\b/g;
    const namesKey = (c: Claim) => (c.reason.match(KEY) ?? []).length > 0;
    const carries = (c: Claim) => (c.reason.match(KEY) ?? []).every((key) => text(c).includes(`"${key}"`));
    expect(broken(namesKey, carries)).toEqual([]);
  });

  it('claims a COUNT-only Scan only where Scan is conditioned on dynamodb:Select = COUNT', () => {
    const claimsCount = (c: Claim) => /\bCOUNT\b/.test(c.reason) && /\bScan\b/.test(c.reason);
    expect(all.filter(claimsCount).length).toBeGreaterThan(0);
    expect(broken(claimsCount, (c) => text(c).includes('"dynamodb:Select":"COUNT"'))).toEqual([]);
  });

  it('names a service principal only where the resource admits it', () => {
    const SERVICE = /\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.amazonaws\.com\b/g;
    const namesService = (c: Claim) => (c.reason.match(SERVICE) ?? []).length > 0;
    const admits = (c: Claim) => (c.reason.match(SERVICE) ?? []).every((service) => text(c).includes(service));
    expect(broken(namesService, admits)).toEqual([]);
  });

  it('says a resource is used only by the pipeline role only where its policy admits no other principal', () => {
    const onlyPipeline = (c: Claim) => /\bonly by the pipeline role\b|\bonly the pipeline role\b/.test(c.reason);
    const admitsOnlyPipeline = (c: Claim) =>
      c.resources
        .flatMap((r) => r.Properties?.PolicyDocument?.Statement ?? [])
        .filter((s: any) => s.Effect === 'Allow' && s.Principal)
        .every((s: any) => JSON.stringify(s.Principal).includes(PIPELINE_ROLE_NAME));
    expect(broken(onlyPipeline, admitsOnlyPipeline)).toEqual([]);
  });
});
