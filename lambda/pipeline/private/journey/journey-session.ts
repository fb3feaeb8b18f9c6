import { CheckFailure } from '../aws-call';
import { setSyntheticPassword } from './cognito-users';
import type { JourneyContext } from './journey-context';
import type { JourneyStage } from './journey-stage';
import type { JourneyUser } from './journey-state';
import type { SignedIn } from './srp-sign-in';
import { signInWithSrp } from './srp-sign-in';

/**
 * Signed-in synthetic users within one invocation. Tokens and passwords are never carried to the next
 * invocation: a user signs in afresh there, with a new password.
 */
export class JourneySessions {
  private readonly signedIn = new Map<string, Promise<SignedIn>>();

  constructor(
    private readonly ctx: JourneyContext,
    private readonly stage: JourneyStage,
  ) {}

  /** The user's ID token, signing in (new password, SRP through the web client) on first use. */
  async tokenOf(user: JourneyUser): Promise<SignedIn> {
    let session = this.signedIn.get(user.email);
    if (!session) {
      session = this.signIn(user);
      this.signedIn.set(user.email, session);
      session.catch(() => this.signedIn.delete(user.email));
    }
    return session;
  }

  private async signIn(user: JourneyUser): Promise<SignedIn> {
    const password = await setSyntheticPassword(this.ctx, this.stage.userPoolId, user.email);
    const signedIn = await (this.ctx.signIn ?? signInWithSrp)(
      this.ctx.clients.cognito,
      this.stage.userPoolId,
      this.stage.clientId,
      user.email,
      password,
      this.ctx.callOptions,
    );
    if (user.sub && signedIn.claims.sub !== user.sub)
      throw new CheckFailure(
        `sign-in of ${user.email}: expected an ID token for sub ${user.sub}, got one for ${String(signedIn.claims.sub)}`,
      );
    return signedIn;
  }
}
