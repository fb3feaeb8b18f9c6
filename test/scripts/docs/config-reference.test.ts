import { readFileSync } from 'fs';
import { allConfigKeys } from '../../../lib/config';
import { renderConfigReference } from '../../../scripts/docs/render-config-reference';
import { defaultContext } from '../../support/context';

describe('docs/configuration.md', () => {
  const generated = renderConfigReference(defaultContext());

  it('documents every config key', () => {
    for (const { name } of allConfigKeys()) expect(generated).toContain(`| \`${name.replace('<stage>.', '')}\` |`);
  });

  it('shows each stage\'s default', () => {
    expect(generated).toMatch(/\| `waf` \| false \| true \| true \|/);
  });

  it('is what the code generates (run `npm run docs:config` after changing config)', () => {
    const committed = readFileSync('docs/configuration.md', 'utf8');
    expect(committed).toBe(generated);
  });
});
