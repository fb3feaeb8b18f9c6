import { hasSyntheticGroup, SYNTHETIC } from '../../../../contracts/synthetic-data';
import { CheckFailure } from '../aws-call';
import { addToSyntheticGroup, createSyntheticUser, syntheticEmail } from './cognito-users';
import type { StepOutcome, StepRun } from './journey-step';

/**
 * Step 1: creates two short-lived synthetic users (the project's owner and another user) in the stage's
 * pool, puts them in the synthetic group, and signs both in through the web app's client (SRP), checking
 * that their ID tokens carry the synthetic group the API marks data by.
 */
export async function signInStep({ ctx, stage, sessions, state }: StepRun): Promise<StepOutcome> {
  for (const role of ['owner', 'other'] as const) {
    const email = syntheticEmail(state.run, role);
    // Recorded before it exists, so the clean-up removes it even when creating it half-failed.
    if (!state.users.some((u) => u.email === email)) state.users = [...state.users, { email }];
    const sub = await createSyntheticUser(ctx, stage.userPoolId, email);
    state.users = state.users.map((u) => (u.email === email ? { email, sub } : u));
    await addToSyntheticGroup(ctx, stage.userPoolId, email);
  }
  for (const user of state.users) {
    const { claims } = await sessions.tokenOf(user);
    if (claims.token_use !== 'id' || claims.aud !== stage.clientId)
      throw new CheckFailure(
        `sign-in of ${user.email}: expected an ID token of client ${stage.clientId}, got token_use ${String(claims.token_use)} for ${String(claims.aud)}`,
      );
    if (!hasSyntheticGroup(claims['cognito:groups']))
      throw new CheckFailure(
        `sign-in of ${user.email}: expected the ID token's cognito:groups to include ${SYNTHETIC.group}, got ${JSON.stringify(claims['cognito:groups'] ?? null)}`,
      );
  }
  return {
    done: true,
    detail: `created ${state.users.map((u) => u.email).join(' and ')} (group ${SYNTHETIC.group}); both signed in through the web client with USER_SRP_AUTH`,
  };
}
