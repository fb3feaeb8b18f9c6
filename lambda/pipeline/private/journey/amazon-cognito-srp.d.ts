/**
 * Types of the two SRP helpers of amazon-cognito-identity-js the journey signs in with (the package
 * types only its high-level client). The helpers do the SRP-6a arithmetic Amazon Cognito expects.
 */
declare module 'amazon-cognito-identity-js/lib/BigInteger.js' {
  /** The package's big integer (jsbn). */
  export default class BigInteger {
    constructor(value: string, radix: number);
    toString(radix: number): string;
  }
}

declare module 'amazon-cognito-identity-js/lib/AuthenticationHelper.js' {
  import BigInteger from 'amazon-cognito-identity-js/lib/BigInteger.js';
  /** SRP-6a client side of a user pool sign-in. */
  export default class AuthenticationHelper {
    /** @param poolName the part of the user pool id after the underscore. */
    constructor(poolName: string);
    getLargeAValue(callback: (error: Error | null, largeA: BigInteger) => void): void;
    getPasswordAuthenticationKey(
      username: string,
      password: string,
      serverB: BigInteger,
      salt: BigInteger,
      callback: (error: Error | null, hkdf: Uint8Array) => void,
    ): void;
  }
}

declare module 'amazon-cognito-identity-js/lib/DateHelper.js' {
  /** The timestamp format Amazon Cognito's PASSWORD_VERIFIER challenge expects. */
  export default class DateHelper {
    /** Now, as "ddd MMM D HH:mm:ss UTC YYYY". */
    getNowString(): string;
  }
}
