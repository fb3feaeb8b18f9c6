import { loadConfig } from '../../lib/config';
import { defaultContext } from '../support/context';

const CERT = 'arn:aws:acm:us-east-1:333333333333:certificate/00000000-0000-4000-8000-000000000000';

/** The default context without prod's custom domain keys, plus `overrides`. */
function withoutProdDomain(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const ctx = { ...defaultContext() };
  for (const key of Object.keys(ctx)) if (key.startsWith('prod.frontend.customDomain.')) delete ctx[key];
  return { ...ctx, ...overrides };
}

function problemsOf(raw: Record<string, unknown>): string {
  try {
    loadConfig(raw);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the config to be refused');
}

describe('The frontend custom domain config', () => {
  it('is set for prod by default, with an obviously fake domain and certificate, and required there', () => {
    const prod = loadConfig(defaultContext()).stages.find((s) => s.name === 'prod')!;
    expect(prod.frontend).toEqual({
      requireCustomDomain: true,
      customDomain: { domainName: 'app.example.com', certificateArn: CERT },
    });
  });

  it('refuses prod without a custom domain, naming the keys to set', () => {
    expect(problemsOf(withoutProdDomain())).toContain(
      "prod.frontend.customDomain.enabled = false is not valid: prod.frontend.requireCustomDomain is true, because CloudFront's default certificate accepts TLS 1.0; " +
        'set prod.frontend.customDomain.enabled to true with prod.frontend.customDomain.domainName and prod.frontend.customDomain.certificateArn.',
    );
  });

  it('lets a stage that does not require it go without', () => {
    const config = loadConfig(withoutProdDomain({ 'prod.frontend.requireCustomDomain': false }));
    expect(config.stages.find((s) => s.name === 'prod')!.frontend.customDomain).toBeUndefined();
  });

  it('refuses a certificate outside us-east-1, saying why', () => {
    const ctx = {
      ...defaultContext(),
      'prod.frontend.customDomain.certificateArn': CERT.replace('us-east-1', 'eu-west-2'),
    };
    expect(problemsOf(ctx)).toMatch(
      /prod\.frontend\.customDomain\.certificateArn = "arn:aws:acm:eu-west-2:[^"]+" is not valid: expected arn:aws:acm:us-east-1:.* \(CloudFront takes certificates from us-east-1 only\)/,
    );
  });

  it("refuses a certificate of another account than the stage's", () => {
    const ctx = {
      ...defaultContext(),
      'prod.frontend.customDomain.certificateArn': CERT.replace('333333333333', '444444444444'),
    };
    expect(problemsOf(ctx)).toContain(
      `prod.frontend.customDomain.certificateArn = "${CERT.replace('333333333333', '444444444444')}" is not valid: it is in account 444444444444; expected a certificate of the stage account 333333333333 (prod.account).`,
    );
  });

  it('refuses a domain name that is not a DNS name', () => {
    expect(
      problemsOf({ ...defaultContext(), 'prod.frontend.customDomain.domainName': 'https://App.example.com' }),
    ).toContain('prod.frontend.customDomain.domainName = "https://App.example.com" is not valid');
  });
});
