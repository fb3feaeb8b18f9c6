import { App } from 'aws-cdk-lib';
import { applyComplianceGates } from '../../lib/compliance/compliance-gates';
import { ConfigError } from '../../lib/config';
import { configWith } from '../support/context';

describe('applyComplianceGates', () => {
  it('registers AwsSolutions, NIST 800-53 rev 5 and the Control Tower controls by default', () => {
    expect(applyComplianceGates(new App()).map((p) => p.name)).toEqual([
      'AwsSolutions',
      'NIST.800.53.R5',
      'cdk-validator-cfnguard',
    ]);
  });

  it('leaves the Control Tower controls out when asked', () => {
    expect(applyComplianceGates(new App(), { controlTower: false }).map((p) => p.name)).toEqual([
      'AwsSolutions',
      'NIST.800.53.R5',
    ]);
  });
});

describe('The gates.controlTower key (declared in lib/config like every key)', () => {
  it.each<[unknown, boolean]>([
    [undefined, false],
    [true, true],
    ['true', true],
    ['false', false],
  ])('reads %p as %p', (raw, expected) => {
    expect(configWith({ 'gates.controlTower': raw }).gates.controlTower).toBe(expected);
  });

  it('rejects anything else, naming the key, the value and what is accepted', () => {
    expect(() => configWith({ 'gates.controlTower': 'yes' })).toThrow(ConfigError);
    expect(() => configWith({ 'gates.controlTower': 'yes' })).toThrow(
      'gates.controlTower = "yes" is not valid: expected true or false.',
    );
  });
});
