import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { createHash, createHmac, randomBytes } from 'crypto';
import { jwtClaims, signInWithSrp } from '../../../../lambda/pipeline/private/journey/srp-sign-in';
import { awsError, fakeJwt } from './fake-journey-stage';

/**
 * The server side of Amazon Cognito's SRP-6a (RFC 5054's 3072-bit group, SHA-256, the "Caldera Derived Key"
 * HKDF), written independently of the client with BigInt, so the test proves that the client's arithmetic and
 * signature are what a server holding only the password verifier accepts.
 */
const N = BigInt(
  '0x' +
    'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
    'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
    'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
    '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
    'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
    '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
    'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
    'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF',
);
const g = 2n;
const pad = (n: bigint) => {
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return /^[89a-f]/i.test(hex) ? `00${hex}` : hex;
};
const sha256Hex = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const hexHash = (hex: string) => sha256Hex(Buffer.from(hex, 'hex'));
const modPow = (base: bigint, exp: bigint, mod: bigint) => {
  let result = 1n;
  let b = base % mod;
  for (let e = exp; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % mod;
    b = (b * b) % mod;
  }
  return result;
};

/** A Cognito-like server for one user: answers USER_SRP_AUTH and verifies the PASSWORD_VERIFIER signature. */
function srpServer(poolName: string, userId: string, password: string) {
  const salt = BigInt(`0x${randomBytes(16).toString('hex')}`);
  const x = BigInt(`0x${hexHash(pad(salt) + sha256Hex(Buffer.from(`${poolName}${userId}:${password}`, 'utf8')))}`);
  const v = modPow(g, x, N);
  const k = BigInt(`0x${hexHash(pad(N) + pad(g))}`);
  const b = BigInt(`0x${randomBytes(32).toString('hex')}`);
  const B = (k * v + modPow(g, b, N)) % N;
  const secretBlock = randomBytes(32).toString('base64');
  return {
    challenge: { SALT: salt.toString(16), SRP_B: B.toString(16), SECRET_BLOCK: secretBlock, USER_ID_FOR_SRP: userId },
    /** The signature this server expects for the client's A and the timestamp it sent. */
    expectedSignature(srpA: string, timestamp: string): string {
      const A = BigInt(`0x${srpA}`);
      const u = BigInt(`0x${hexHash(pad(A) + pad(B))}`);
      const S = modPow((A * modPow(v, u, N)) % N, b, N);
      const prk = createHmac('sha256', Buffer.from(pad(u), 'hex'))
        .update(Buffer.from(pad(S), 'hex'))
        .digest();
      const key = createHmac('sha256', prk)
        .update(Buffer.concat([Buffer.from('Caldera Derived Key', 'utf8'), Buffer.from([1])]))
        .digest()
        .subarray(0, 16);
      return createHmac('sha256', key)
        .update(
          Buffer.concat([
            Buffer.from(poolName),
            Buffer.from(userId),
            Buffer.from(secretBlock, 'base64'),
            Buffer.from(timestamp),
          ]),
        )
        .digest('base64');
    },
  };
}

const cognito = mockClient(CognitoIdentityProviderClient);
afterEach(() => cognito.reset());

/** Mocks Cognito as the SRP server for a user with `serverPassword`. */
function serveSrp(serverPassword: string) {
  const server = srpServer('Journey1', 'sub-1', serverPassword);
  let srpA = '';
  cognito.on(InitiateAuthCommand).callsFake(({ AuthParameters }) => {
    srpA = AuthParameters!.SRP_A;
    return { ChallengeName: 'PASSWORD_VERIFIER', ChallengeParameters: server.challenge, Session: 'session-1' };
  });
  cognito.on(RespondToAuthChallengeCommand).callsFake(({ ChallengeResponses }) => {
    const expected = server.expectedSignature(srpA, ChallengeResponses!.TIMESTAMP);
    if (ChallengeResponses!.PASSWORD_CLAIM_SIGNATURE !== expected)
      throw awsError('NotAuthorizedException', 'Incorrect username or password.');
    return { AuthenticationResult: { IdToken: fakeJwt({ sub: 'sub-1', token_use: 'id' }) } };
  });
}

const signIn = (password: string) =>
  signInWithSrp(
    new CognitoIdentityProviderClient({ region: 'eu-west-2' }),
    'eu-west-2_Journey1',
    'client-1',
    'journey-run1-owner@synthetic.invalid',
    password,
    { attempts: 1, sleep: async () => undefined },
  );

describe('Signing in with SRP through the web client', () => {
  it('proves the password to a server that holds only its verifier, and returns the ID token and its claims', async () => {
    serveSrp('Correct-Horse-1!');
    const signedIn = await signIn('Correct-Horse-1!');
    expect(signedIn.claims).toEqual({ sub: 'sub-1', token_use: 'id' });
    const initiate = cognito.commandCalls(InitiateAuthCommand)[0].args[0].input;
    expect(initiate).toMatchObject({
      AuthFlow: 'USER_SRP_AUTH',
      ClientId: 'client-1',
      AuthParameters: { USERNAME: 'journey-run1-owner@synthetic.invalid' },
    });
    const respond = cognito.commandCalls(RespondToAuthChallengeCommand)[0].args[0].input;
    expect(respond.ChallengeResponses).toMatchObject({
      USERNAME: 'sub-1',
      TIMESTAMP: expect.stringMatching(/^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{1,2} \d\d:\d\d:\d\d UTC \d{4}$/),
    });
    expect(JSON.stringify(cognito.calls().map((c) => c.args[0].input))).not.toContain('Correct-Horse-1!');
  }, 30_000);

  it('is refused with a wrong password, naming the call', async () => {
    serveSrp('Correct-Horse-1!');
    await expect(signIn('Wrong-Horse-1!')).rejects.toThrow(
      'RespondToAuthChallenge (PASSWORD_VERIFIER) for journey-run1-owner@synthetic.invalid failed: NotAuthorizedException: Incorrect username or password.',
    );
  }, 30_000);

  it('fails naming the challenge when Cognito asks for more than the password (MFA)', async () => {
    serveSrp('Correct-Horse-1!');
    cognito.on(RespondToAuthChallengeCommand).resolves({ ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: 's' });
    await expect(signIn('Correct-Horse-1!')).rejects.toThrow(
      'expected tokens, got the SOFTWARE_TOKEN_MFA challenge (a synthetic user cannot answer it)',
    );
  }, 30_000);

  it('reads the claims of a JWT and refuses a value that is not one', () => {
    expect(jwtClaims(fakeJwt({ sub: 'x' }))).toEqual({ sub: 'x' });
    expect(() => jwtClaims('not-a-token')).toThrow('Cognito returned an ID token that is not a JWT');
  });

  it.each([['null'], ['[{"sub":"x"}]'], ['42'], ['"sub"']])(
    'refuses a token whose payload is JSON but not an object of claims (%s)',
    (payload) => {
      const token = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(payload).toString('base64url')}.sig`;
      expect(() => jwtClaims(token)).toThrow('Cognito returned an ID token that is not a JWT');
    },
  );

  it('answers the PASSWORD_VERIFIER challenge in the session InitiateAuth opened, each call cancellable on timeout', async () => {
    serveSrp('Correct-Horse-1!');
    await signIn('Correct-Horse-1!');
    const [initiate] = cognito.commandCalls(InitiateAuthCommand);
    const [respond] = cognito.commandCalls(RespondToAuthChallengeCommand);
    expect(respond.args[0].input).toMatchObject({
      ChallengeName: 'PASSWORD_VERIFIER',
      ClientId: 'client-1',
      Session: 'session-1',
    });
    for (const c of [initiate, respond])
      expect((c.args as unknown[])[1]).toEqual({ abortSignal: expect.any(AbortSignal) });
  }, 30_000);

  it('refuses a user pool id that is not <region>_<name>, before any call', async () => {
    await expect(
      signInWithSrp(
        new CognitoIdentityProviderClient({ region: 'eu-west-2' }),
        'Journey1',
        'client-1',
        'journey-run1-owner@synthetic.invalid',
        'Correct-Horse-1!',
      ),
    ).rejects.toThrow('user pool id Journey1 is not <region>_<name>');
    expect(cognito.calls()).toHaveLength(0);
  });

  it('fails naming InitiateAuth and the user when Cognito refuses the flow', async () => {
    // Cognito's answer when the app client does not allow USER_SRP_AUTH.
    cognito
      .on(InitiateAuthCommand)
      .rejects(awsError('InvalidParameterException', 'USER_SRP_AUTH is not enabled for the client.'));
    await expect(signIn('Correct-Horse-1!')).rejects.toThrow(
      'InitiateAuth (USER_SRP_AUTH) for journey-run1-owner@synthetic.invalid failed: InvalidParameterException: USER_SRP_AUTH is not enabled for the client.',
    );
  });

  // Cognito answers USER_SRP_AUTH with PASSWORD_VERIFIER and all its parameters; anything else must stop the
  // sign-in with a failure that says what came back, before it answers a challenge with missing values.
  const complete = { SRP_B: 'ab12', SALT: 'cd34', SECRET_BLOCK: 'c2VjcmV0', USER_ID_FOR_SRP: 'sub-1' };
  it.each([
    ['no challenge', {}, complete, 'none'],
    ['no SRP_B', { ChallengeName: 'PASSWORD_VERIFIER' }, { ...complete, SRP_B: undefined }, 'PASSWORD_VERIFIER'],
    ['no SALT', { ChallengeName: 'PASSWORD_VERIFIER' }, { ...complete, SALT: undefined }, 'PASSWORD_VERIFIER'],
    [
      'no SECRET_BLOCK',
      { ChallengeName: 'PASSWORD_VERIFIER' },
      { ...complete, SECRET_BLOCK: undefined },
      'PASSWORD_VERIFIER',
    ],
  ] as const)('fails without answering when InitiateAuth comes back with %s', async (_what, name, params, got) => {
    cognito.on(InitiateAuthCommand).resolves({ ...name, ChallengeParameters: params as Record<string, string> });
    await expect(signIn('Correct-Horse-1!')).rejects.toThrow(
      `InitiateAuth (USER_SRP_AUTH) for journey-run1-owner@synthetic.invalid: expected the PASSWORD_VERIFIER challenge, got ${got}`,
    );
    expect(cognito.commandCalls(RespondToAuthChallengeCommand)).toHaveLength(0);
  });

  it('fails saying the challenge is unknown when the answer has neither tokens nor a challenge', async () => {
    // Not an answer Cognito gives; the failure must still say that no challenge came back with the missing tokens.
    serveSrp('Correct-Horse-1!');
    cognito.on(RespondToAuthChallengeCommand).resolves({});
    await expect(signIn('Correct-Horse-1!')).rejects.toThrow(
      'sign-in of journey-run1-owner@synthetic.invalid: expected tokens, got the unknown challenge (a synthetic user cannot answer it)',
    );
  }, 30_000);
});

// Puts back the SDK clients this file stubs.
afterAll(() => {
  cognito.restore();
});
