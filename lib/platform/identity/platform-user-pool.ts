import type { RemovalPolicy } from 'aws-cdk-lib';
import { Duration } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { acknowledge } from '../../compliance/acknowledge';
import type { MfaMode } from '../../config';
import { SYNTHETIC } from '../../../contracts/synthetic-data';

/**
 * The platform's user groups, by group name, with their precedence (lower wins when a user is in several).
 * `synthetic` holds the acceptance journey's short-lived users: the API marks what they create (contracts/synthetic-data.ts).
 */
export const USER_GROUPS = {
  admins: 0,
  contractors: 10,
  homeowners: 20,
  [SYNTHETIC.group]: 100,
} as const;

/** Props of {@link PlatformUserPool}. */
export interface PlatformUserPoolProps {
  /** Whether users must enrol a TOTP second factor (`required`) or may (`optional`). */
  readonly mfa: MfaMode;
  /**
   * Cognito threat protection (compromised credentials, adaptive authentication), enforced.
   * Needs the Plus feature plan, which is billed per monthly active user, so the pool is on
   * Plus only when this is on and on Essentials otherwise.
   */
  readonly threatProtection: boolean;
  /** What happens to the pool (and its users) when it leaves the stack or is replaced. */
  readonly removalPolicy: RemovalPolicy;
  /** Cognito deletion protection: the pool cannot be deleted until it is turned off. */
  readonly deletionProtection: boolean;
  /**
   * Send the pool's e-mail (sign-up codes, password resets) through Amazon SES in the stack's region, from
   * `fromAddress`: an SES identity verified in the stack's account and region, or an address of `verifiedDomain`.
   * @default - Cognito's own sender, which allows only a limited number of e-mails a day
   */
  readonly sesEmail?: { readonly fromAddress: string; readonly verifiedDomain?: string };
}

/**
 * Cognito user pool: e-mail sign-in, strong password policy, TOTP MFA, groups for homeowners,
 * contractors, admins and the acceptance journey's synthetic users, and a web app client without a secret (SRP sign-in, no hosted UI).
 * The pool keeps the construct's logical id (child id `Default`).
 */
export class PlatformUserPool extends Construct {
  /** The user pool. */
  readonly userPool: cognito.UserPool;
  /** Web app client (public: no secret). */
  readonly webClient: cognito.UserPoolClient;
  /** Groups by name. */
  readonly groups: Record<keyof typeof USER_GROUPS, cognito.UserPoolGroup>;

  constructor(scope: Construct, id: string, props: PlatformUserPoolProps) {
    super(scope, id);
    this.userPool = new cognito.UserPool(this, 'Default', {
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      keepOriginal: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      selfSignUpEnabled: true,
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
        passwordHistorySize: 5,
      },
      mfa: props.mfa === 'required' ? cognito.Mfa.REQUIRED : cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      featurePlan: props.threatProtection ? cognito.FeaturePlan.PLUS : cognito.FeaturePlan.ESSENTIALS,
      ...(props.threatProtection
        ? { standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION }
        : {}),
      deletionProtection: props.deletionProtection,
      removalPolicy: props.removalPolicy,
      ...(props.sesEmail
        ? {
            email: cognito.UserPoolEmail.withSES({
              fromEmail: props.sesEmail.fromAddress,
              sesVerifiedDomain: props.sesEmail.verifiedDomain,
            }),
          }
        : {}),
    });

    if (props.mfa === 'optional') {
      acknowledge(this.userPool, [
        {
          id: 'AwsSolutions-COG2',
          reason:
            'MFA is optional by the stage config (<stage>.mfa = optional): every user can enrol TOTP; stages whose config says required enforce it.',
        },
      ]);
    }
    if (!props.threatProtection) {
      acknowledge(this.userPool, [
        {
          id: 'AwsSolutions-COG8',
          reason:
            'Threat protection needs the Plus plan (billed per active user); it is enforced in stages with WAF, not in this one.',
        },
      ]);
    }

    const group = (groupName: keyof typeof USER_GROUPS, description: string) =>
      this.userPool.addGroup(groupName.charAt(0).toUpperCase() + groupName.slice(1), {
        groupName,
        description,
        precedence: USER_GROUPS[groupName],
      });
    this.groups = {
      admins: group('admins', 'Platform administrators'),
      contractors: group('contractors', 'Contractors who quote for projects'),
      homeowners: group('homeowners', 'Homeowners who post projects'),
      synthetic: group(
        SYNTHETIC.group,
        'Short-lived users of the acceptance journey; what they create is marked synthetic and removed by the journey',
      ),
    };

    this.webClient = this.userPool.addClient('WebClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
    });
  }
}
