import { synthApp } from '../support/synth';

const app = synthApp();

function distributionOf(stage: string): Record<string, any> {
  const [distribution] = Object.values(app.template(stage, 'Service').findResources('AWS::CloudFront::Distribution'));
  return distribution.Properties.DistributionConfig;
}

describe('The frontend distribution', () => {
  it('serves prod on its custom domain with its us-east-1 certificate and a TLS 1.2 (2021) minimum', () => {
    const prod = app.config.stages.find((s) => s.name === 'prod')!.frontend.customDomain!;
    const config = distributionOf('prod');
    expect(config.Aliases).toEqual([prod.domainName]);
    expect(config.ViewerCertificate).toEqual({
      AcmCertificateArn: prod.certificateArn,
      MinimumProtocolVersion: 'TLSv1.2_2021',
      SslSupportMethod: 'sni-only',
    });
  });

  it('keeps the default certificate where no custom domain is set (dev, staging)', () => {
    for (const stage of ['dev', 'staging']) {
      const config = distributionOf(stage);
      expect(config.Aliases).toBeUndefined();
      expect(config.ViewerCertificate).toBeUndefined();
    }
  });
});
