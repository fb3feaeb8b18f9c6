import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { randomBytes } from 'crypto';
import { SYNTHETIC } from '../../../../contracts/synthetic-data';
import { CheckFailure } from '../aws-call';
import { call } from '../check-context';
import type { JourneyContext } from './journey-context';
import { requireSyntheticUser } from './synthetic-guard';

/** A password that meets the pool's policy (12+ characters with lower, upper, digit and symbol), never stored. */
export function newPassword(): string {
  return `${randomBytes(18).toString('base64url')}aA1!`;
}

/** The sign-in e-mail of one of this run's synthetic users. */
export function syntheticEmail(run: string, role: 'owner' | 'other'): string {
  return requireSyntheticUser(`${SYNTHETIC.userPrefix}${run}-${role}@${SYNTHETIC.emailDomain}`);
}

/** Creates a synthetic user with a verified e-mail and no invitation, and returns its `sub`. */
export async function createSyntheticUser(ctx: JourneyContext, userPoolId: string, email: string): Promise<string> {
  requireSyntheticUser(email);
  const out = await call(ctx, `AdminCreateUser ${email}`, (abortSignal) =>
    ctx.clients.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: userPoolId,
        Username: email,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
      { abortSignal },
    ),
  );
  const sub = out.User?.Attributes?.find((a) => a.Name === 'sub')?.Value ?? out.User?.Username;
  if (!sub) throw new CheckFailure(`AdminCreateUser ${email} returned no user`);
  return sub;
}

/** Gives a synthetic user a new permanent password (so it signs in without a challenge) and returns it. */
export async function setSyntheticPassword(ctx: JourneyContext, userPoolId: string, email: string): Promise<string> {
  requireSyntheticUser(email);
  const password = newPassword();
  await call(ctx, `AdminSetUserPassword ${email}`, (abortSignal) =>
    ctx.clients.cognito.send(
      new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: email, Password: password, Permanent: true }),
      { abortSignal },
    ),
  );
  return password;
}

/** Puts a synthetic user in the synthetic group, which the API reads to mark what the user creates. */
export async function addToSyntheticGroup(ctx: JourneyContext, userPoolId: string, email: string): Promise<void> {
  requireSyntheticUser(email);
  await call(ctx, `AdminAddUserToGroup ${email} ${SYNTHETIC.group}`, (abortSignal) =>
    ctx.clients.cognito.send(
      new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: email, GroupName: SYNTHETIC.group }),
      { abortSignal },
    ),
  );
}

const isUserNotFound = (error: unknown) => error instanceof CheckFailure && /UserNotFoundException/.test(error.message);

/** Deletes a synthetic user; `false` when it did not exist. */
export async function deleteSyntheticUser(ctx: JourneyContext, userPoolId: string, email: string): Promise<boolean> {
  requireSyntheticUser(email);
  try {
    await call(ctx, `AdminDeleteUser ${email}`, (abortSignal) =>
      ctx.clients.cognito.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: email }), {
        abortSignal,
      }),
    );
    return true;
  } catch (error) {
    if (isUserNotFound(error)) return false;
    throw error;
  }
}

/** Whether a synthetic user exists (AdminGetUser; UserNotFoundException is `false`). */
export async function syntheticUserExists(ctx: JourneyContext, userPoolId: string, email: string): Promise<boolean> {
  requireSyntheticUser(email);
  try {
    await call(ctx, `AdminGetUser ${email}`, (abortSignal) =>
      ctx.clients.cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: email }), { abortSignal }),
    );
    return true;
  } catch (error) {
    if (isUserNotFound(error)) return false;
    throw error;
  }
}
