import { synthApp } from '../support/synth';

const app = synthApp();

function distributionOf(stage: string): Record<string, any> {
  const [distribution] = Object.values(app.template(stage, 'Service').findResources('AWS::CloudFront::Distribution'));
  return distribution.Properties.DistributionConfig;
}

describe('The frontend distribution', () => {
  const withDomain = app.config.stages.filter((s) => s.frontend.customDomain !== undefined);
  const withoutDomain = app.config.stages.filter((s) => s.frontend.customDomain === undefined);

  it('serves a stage with a custom domain on it, with its us-east-1 certificate and a TLS 1.2 (2021) minimum', () => {
    expect(withDomain.length).toBeGreaterThan(0);
    for (const stage of withDomain) {
      const domain = stage.frontend.customDomain!;
      const config = distributionOf(stage.name);
      expect(config.Aliases).toEqual([domain.domainName]);
      expect(config.ViewerCertificate).toEqual({
        AcmCertificateArn: domain.certificateArn,
        MinimumProtocolVersion: 'TLSv1.2_2021',
        SslSupportMethod: 'sni-only',
      });
    }
  });

  it('keeps the default certificate where no custom domain is set', () => {
    expect(withoutDomain.length).toBeGreaterThan(0);
    for (const stage of withoutDomain) {
      const config = distributionOf(stage.name);
      expect(config.Aliases).toBeUndefined();
      expect(config.ViewerCertificate).toBeUndefined();
    }
  });
});
