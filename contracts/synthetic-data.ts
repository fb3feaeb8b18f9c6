/**
 * How the acceptance journey's synthetic data is marked, so that the platform, its metrics, alarms,
 * backups and the journey's own least-privilege role can tell it from real users' data. The platform's
 * handlers (which mark what synthetic users create), the journey role's policy (which may touch only
 * marked keys) and the journey itself (which refuses anything unmarked) all read these names.
 */
export const SYNTHETIC = {
  /** Cognito group of synthetic users; only an administrator (AdminAddUserToGroup) can put a user in it. */
  group: 'synthetic',
  /** Prefix of every synthetic user's sign-in e-mail (the pool's username attribute). */
  userPrefix: 'journey-',
  /** Domain of every synthetic user's e-mail: a reserved name that never receives mail (RFC 6761). */
  emailDomain: 'synthetic.invalid',
  /** Prefix of the partition key of every item a synthetic user's request creates (projects, quotes). */
  keyPrefix: 'journey-',
  /** Item attribute (`true`) on every item a synthetic user's request creates. */
  attribute: 'synthetic',
  /** User-Agent of every request the journey sends, as CloudFront and WAF logs record it. */
  userAgent: 'uk-home-improvement-journey/1',
} as const;

const SYNTHETIC_EMAIL = new RegExp(
  `^${SYNTHETIC.userPrefix}[a-z0-9-]{4,48}@${SYNTHETIC.emailDomain.replace(/\./g, '\\.')}$`,
);
const SYNTHETIC_KEY = new RegExp(`^${SYNTHETIC.keyPrefix}[A-Za-z0-9-]{1,56}$`);

/** Whether `email` is a synthetic user's sign-in name (`journey-…@synthetic.invalid`). */
export function isSyntheticEmail(email: string): boolean {
  return SYNTHETIC_EMAIL.test(email);
}

/** Whether `key` is the partition key of a synthetic item (`journey-…`). */
export function isSyntheticKey(key: string): boolean {
  return SYNTHETIC_KEY.test(key);
}

/**
 * Whether a token's `cognito:groups` claim names the synthetic group. API Gateway's Cognito authorizer
 * hands a REST API every claim as a string, so the list may arrive as `synthetic`, `a,synthetic` or
 * `[a synthetic]`; a decoded token holds an array.
 */
export function hasSyntheticGroup(groups: unknown): boolean {
  const names = Array.isArray(groups)
    ? groups
    : typeof groups === 'string'
      ? groups.replace(/^\[|\]$/g, '').split(/[\s,]+/)
      : [];
  return names.some((name) => name === SYNTHETIC.group);
}
