import { readFileSync } from 'fs';
import { allConfigKeys } from '../../../lib/config';
import { renderConfigReference } from '../../../scripts/docs/render-config-reference';
import { defaultContext, realContext } from '../../support/context';

describe('The configuration reference', () => {
  const generated = renderConfigReference(defaultContext());

  it('documents every config key', () => {
    for (const { name } of allConfigKeys()) expect(generated).toContain(`| \`${name.replace('<stage>.', '')}\` |`);
  });

  it("shows each key's default and the value each stage sets", () => {
    expect(generated).toMatch(/\| `waf.enabled` \| false \| false \| true \| true \|/);
    expect(generated).toMatch(/\| `account` \| \(required\) \| "111111111111" \| "222222222222" \| "333333333333" \|/);
    expect(generated).toMatch(/\| `backup.dr.restoreJobMaxAgeDays` \| "off" \| {2}\| "off" \| 35 \|/);
  });
});

describe('docs/configuration.md', () => {
  it("is what the code generates from cdk.json's current config (run `npm run docs:config` after changing config)", () => {
    const committed = readFileSync('docs/configuration.md', 'utf8');
    expect(committed).toBe(renderConfigReference(realContext()));
  });
});
