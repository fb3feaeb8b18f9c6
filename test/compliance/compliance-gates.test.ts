import { App } from 'aws-cdk-lib';
import { applyComplianceGates, controlTowerFromContext } from '../../lib/compliance/compliance-gates';
import { ConfigError } from '../../lib/config';

describe('applyComplianceGates', () => {
  it('registers AwsSolutions, NIST 800-53 rev 5 and the Control Tower controls by default', () => {
    expect(applyComplianceGates(new App()).map((p) => p.name)).toEqual(['AwsSolutions', 'NIST.800.53.R5', 'cdk-validator-cfnguard']);
  });

  it('leaves the Control Tower controls out when asked', () => {
    expect(applyComplianceGates(new App(), { controlTower: false }).map((p) => p.name)).toEqual(['AwsSolutions', 'NIST.800.53.R5']);
  });
});

describe('The gates.controlTower context value', () => {
  it.each<[unknown, boolean]>([[undefined, false], [true, true], ['true', true], ['false', false]])('reads %p as %p', (raw, expected) => {
    expect(controlTowerFromContext(raw)).toBe(expected);
  });

  it('rejects anything else, naming the key, the value and what is accepted', () => {
    expect(() => controlTowerFromContext('yes')).toThrow(ConfigError);
    expect(() => controlTowerFromContext('yes')).toThrow('gates.controlTower = "yes" is not valid: expected true or false.');
  });
});
