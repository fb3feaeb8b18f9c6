import { ConfigurationError } from '../../../../lambda/platform/shared/errors';
import { readFunctionEnvironment } from '../../../../lambda/platform/shared/function-environment';

describe('readFunctionEnvironment', () => {
  it('returns the values it read', () => {
    const environment = readFunctionEnvironment(['PROJECTS_TABLE', 'QUOTES_TABLE'], {
      PROJECTS_TABLE: 'projects',
      QUOTES_TABLE: 'quotes',
    });
    expect(environment.require('PROJECTS_TABLE')).toBe('projects');
    expect(environment.require('QUOTES_TABLE')).toBe('quotes');
  });

  it('fails each use of a missing or empty variable with a ConfigurationError naming it', () => {
    const environment = readFunctionEnvironment(['PROJECTS_TABLE', 'QUOTES_TABLE'], { PROJECTS_TABLE: '' });
    expect(() => environment.require('PROJECTS_TABLE')).toThrow(
      new ConfigurationError('environment variable PROJECTS_TABLE is not set'),
    );
    expect(() => environment.require('QUOTES_TABLE')).toThrow(ConfigurationError);
    expect(() => environment.require('QUOTES_TABLE')).toThrow('environment variable QUOTES_TABLE is not set');
  });

  it('keeps what it read when the environment changes later', () => {
    const env: Record<string, string | undefined> = { PROJECTS_TABLE: 'projects' };
    const environment = readFunctionEnvironment(['PROJECTS_TABLE'], env);
    env.PROJECTS_TABLE = 'changed';
    expect(environment.require('PROJECTS_TABLE')).toBe('projects');
  });
});
