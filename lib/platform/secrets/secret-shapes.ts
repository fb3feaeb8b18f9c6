import { SECRET_NAMES } from '../../../contracts/resource-names';

/** JSON shape of one third-party secret: the fixed fields and the one field filled with a generated value. */
export interface SecretShape {
  /** Secrets Manager name (SECRET_NAMES), the same in every stage account. */
  readonly secretName: string;
  /** What the secret holds, shown in the console. */
  readonly description: string;
  /** Fields created with obviously fake placeholder (or, for non-secret settings, default) values. */
  readonly template: Readonly<Record<string, string | number>>;
  /** Field created with a random value, so that no deploy ever holds a guessable credential. */
  readonly generatedField: string;
}

/** Placeholder value of every credential field until an operator sets the real one (docs/data-model.md). */
export const PLACEHOLDER = 'REPLACE_ME';

/** The platform's three third-party secrets (Stripe, DocuSign, Anthropic) and their JSON shapes. */
export const SECRET_SHAPES = {
  stripe: {
    secretName: SECRET_NAMES.stripe,
    description: 'Stripe API keys: {"secretKey","publishableKey","webhookSecret"}',
    template: { publishableKey: PLACEHOLDER, webhookSecret: PLACEHOLDER },
    generatedField: 'secretKey',
  },
  docusign: {
    secretName: SECRET_NAMES.docusign,
    description: 'DocuSign JWT credentials: {"integrationKey","userId","accountId","privateKey"}',
    template: { integrationKey: PLACEHOLDER, userId: PLACEHOLDER, accountId: PLACEHOLDER },
    generatedField: 'privateKey',
  },
  claude: {
    secretName: SECRET_NAMES.claude,
    description: 'Claude API settings: {"apiKey","model","maxTokens"}',
    // `model` stays in the template although the agents ignore it (they call `<stage>.ai.modelId`): a changed
    // GenerateSecretString makes CloudFormation generate the value again (reported in
    // https://www.npmjs.com/package/@matthewbonig/secret), discarding the key an operator put in the secret.
    template: { model: 'claude-3-sonnet-20240229', maxTokens: 4096 },
    generatedField: 'apiKey',
  },
} as const satisfies Record<keyof typeof SECRET_NAMES, SecretShape>;
