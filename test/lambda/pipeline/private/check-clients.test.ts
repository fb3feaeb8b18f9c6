import { createCheckClients } from '../../../../lambda/pipeline/private/check-clients';

const CREDENTIALS = { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' };

describe('The check clients', () => {
  it('call the primary region, and the DR region only for the DR vault', async () => {
    const clients = createCheckClients({ region: 'eu-west-2', drRegion: 'eu-west-1', credentials: CREDENTIALS });
    for (const client of [
      clients.cloudFormation,
      clients.dynamoDb,
      clients.cognito,
      clients.stepFunctions,
      clients.secrets,
      clients.cloudWatch,
      clients.kms,
      clients.s3,
      clients.backup,
    ])
      expect(await client.config.region()).toBe('eu-west-2');
    expect(await clients.drBackup.config.region()).toBe('eu-west-1');
  });

  it('read the DR vault in the primary region when the stage names no DR region', async () => {
    const clients = createCheckClients({ region: 'eu-central-1' });
    expect(await clients.drBackup.config.region()).toBe('eu-central-1');
  });

  it('sign with the credentials given (the assumed check role), with SDK retries off', async () => {
    const clients = createCheckClients({ region: 'eu-west-2', drRegion: 'eu-west-1', credentials: CREDENTIALS });
    for (const client of [clients.dynamoDb, clients.s3, clients.drBackup, clients.cloudFormationIn('us-east-1')]) {
      expect(await client.config.credentials()).toMatchObject(CREDENTIALS);
      expect(await client.config.maxAttempts()).toBe(1);
    }
  });

  it('give one client per other region, created once and reused', async () => {
    const clients = createCheckClients({ region: 'eu-west-2' });
    const edge = clients.cloudFormationIn('us-east-1');
    expect(await edge.config.region()).toBe('us-east-1');
    expect(clients.cloudFormationIn('us-east-1')).toBe(edge);
    expect(clients.cloudFormationIn('eu-west-2')).toBe(clients.cloudFormation);
    const drKms = clients.kmsIn('eu-west-1');
    expect(await drKms.config.region()).toBe('eu-west-1');
    expect(clients.kmsIn('eu-west-1')).toBe(drKms);
    expect(clients.kmsIn('eu-west-2')).toBe(clients.kms);
  });

  it('send every call to an emulator endpoint when one is given, S3 in path style', async () => {
    const clients = createCheckClients({ region: 'eu-west-2', endpoint: 'http://127.0.0.1:5000' });
    for (const client of [
      clients.cloudFormation,
      clients.s3,
      clients.cloudFormationIn('eu-west-1'),
      clients.kmsIn('eu-west-1'),
    ])
      expect(await client.config.endpoint!()).toMatchObject({ hostname: '127.0.0.1', port: 5000, protocol: 'http:' });
    expect(clients.s3.config.forcePathStyle).toBe(true);
  });

  it('use the AWS endpoints and virtual-hosted S3 by default', () => {
    const clients = createCheckClients({ region: 'eu-west-2' });
    expect(clients.s3.config.forcePathStyle).toBe(false);
    expect(clients.s3.config.isCustomEndpoint).toBe(false);
  });
});
