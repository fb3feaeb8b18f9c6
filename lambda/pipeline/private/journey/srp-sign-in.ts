import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { InitiateAuthCommand, RespondToAuthChallengeCommand } from '@aws-sdk/client-cognito-identity-provider';
import AuthenticationHelper from 'amazon-cognito-identity-js/lib/AuthenticationHelper.js';
import BigInteger from 'amazon-cognito-identity-js/lib/BigInteger.js';
import DateHelper from 'amazon-cognito-identity-js/lib/DateHelper.js';
import { createHmac } from 'crypto';
import type { CallOptions } from '../aws-call';
import { callAws, CheckFailure } from '../aws-call';

/** The tokens of a signed-in user. */
export interface SignedIn {
  readonly idToken: string;
  /** Claims of the ID token (read, not verified: the API's authorizer verifies it). */
  readonly claims: Readonly<Record<string, unknown>>;
}

/** The claims of a JWT, without verifying it. @throws CheckFailure when it is not a JWT. */
export function jwtClaims(token: string): Record<string, unknown> {
  const payload = token.split('.')[1];
  try {
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8'));
    if (typeof claims === 'object' && claims !== null && !Array.isArray(claims)) return claims;
  } catch {
    // reported below
  }
  throw new CheckFailure('Cognito returned an ID token that is not a JWT');
}

const promised = <T>(run: (callback: (error: Error | null, value: T) => void) => void) =>
  new Promise<T>((resolve, reject) => run((error, value) => (error ? reject(error) : resolve(value))));

/** The PASSWORD_VERIFIER signature: HMAC-SHA256 under the SRP key of pool name, user id, secret block and time. */
export function passwordClaimSignature(
  hkdf: Uint8Array,
  poolName: string,
  userIdForSrp: string,
  secretBlock: string,
  timestamp: string,
): string {
  return createHmac('sha256', hkdf)
    .update(
      Buffer.concat([
        Buffer.from(poolName, 'utf8'),
        Buffer.from(userIdForSrp, 'utf8'),
        Buffer.from(secretBlock, 'base64'),
        Buffer.from(timestamp, 'utf8'),
      ]),
    )
    .digest('base64');
}

/**
 * Signs a user in as the web app does: USER_SRP_AUTH with the pool's public client (no secret), then the
 * PASSWORD_VERIFIER challenge. The password never leaves this process. Any other challenge (MFA, a new
 * password) is a failure that names it.
 */
export async function signInWithSrp(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  clientId: string,
  email: string,
  password: string,
  options?: CallOptions,
): Promise<SignedIn> {
  const poolName = userPoolId.split('_')[1];
  if (!poolName) throw new CheckFailure(`user pool id ${userPoolId} is not <region>_<name>`);
  const helper = new AuthenticationHelper(poolName);
  const largeA = await promised<BigInteger>((cb) => helper.getLargeAValue(cb));
  const started = await callAws(
    `InitiateAuth (USER_SRP_AUTH) for ${email}`,
    (abortSignal) =>
      cognito.send(
        new InitiateAuthCommand({
          AuthFlow: 'USER_SRP_AUTH',
          ClientId: clientId,
          AuthParameters: { USERNAME: email, SRP_A: largeA.toString(16) },
        }),
        { abortSignal },
      ),
    options,
  );
  const challenge = started.ChallengeParameters ?? {};
  if (started.ChallengeName !== 'PASSWORD_VERIFIER' || !challenge.SRP_B || !challenge.SALT || !challenge.SECRET_BLOCK)
    throw new CheckFailure(
      `InitiateAuth (USER_SRP_AUTH) for ${email}: expected the PASSWORD_VERIFIER challenge, got ${started.ChallengeName ?? 'none'}`,
    );
  const userIdForSrp = challenge.USER_ID_FOR_SRP ?? challenge.USERNAME ?? email;
  const hkdf = await promised<Uint8Array>((cb) =>
    helper.getPasswordAuthenticationKey(
      userIdForSrp,
      password,
      new BigInteger(challenge.SRP_B, 16),
      new BigInteger(challenge.SALT, 16),
      cb,
    ),
  );
  const timestamp = new DateHelper().getNowString();
  const answered = await callAws(
    `RespondToAuthChallenge (PASSWORD_VERIFIER) for ${email}`,
    (abortSignal) =>
      cognito.send(
        new RespondToAuthChallengeCommand({
          ChallengeName: 'PASSWORD_VERIFIER',
          ClientId: clientId,
          Session: started.Session,
          ChallengeResponses: {
            USERNAME: userIdForSrp,
            PASSWORD_CLAIM_SECRET_BLOCK: challenge.SECRET_BLOCK,
            TIMESTAMP: timestamp,
            PASSWORD_CLAIM_SIGNATURE: passwordClaimSignature(
              hkdf,
              poolName,
              userIdForSrp,
              challenge.SECRET_BLOCK,
              timestamp,
            ),
          },
        }),
        { abortSignal },
      ),
    options,
  );
  const idToken = answered.AuthenticationResult?.IdToken;
  if (!idToken)
    throw new CheckFailure(
      `sign-in of ${email}: expected tokens, got the ${answered.ChallengeName ?? 'unknown'} challenge (a synthetic user cannot answer it)`,
    );
  return { idToken, claims: jwtClaims(idToken) };
}
