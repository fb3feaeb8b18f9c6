import type { RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { SecretShape } from './secret-shapes';

/** Props of {@link PlaceholderSecret}. */
export interface PlaceholderSecretProps {
  /** Name, description and JSON shape of the secret. */
  readonly shape: SecretShape;
  /** Key that encrypts the secret. */
  readonly key: kms.IKey;
  /** What happens to the secret when it leaves the stack or is replaced. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * A Secrets Manager secret created with the JSON shape of a third-party credential and
 * placeholder values (one field random). Operators set the real value out of band; a deploy
 * never overwrites it, because the generated value is only used when the secret is created.
 * The secret keeps the construct's logical id (child id `Default`).
 */
export class PlaceholderSecret extends Construct {
  /** The secret. */
  readonly secret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: PlaceholderSecretProps) {
    super(scope, id);
    const { shape } = props;
    if (shape.generatedField in shape.template) {
      throw new Error(
        `${id}: generatedField "${shape.generatedField}" is also in the template; a field is either fixed or generated.`,
      );
    }
    this.secret = new secretsmanager.Secret(this, 'Default', {
      secretName: shape.secretName,
      description: `${shape.description}. Created with placeholders; set the real value with put-secret-value.`,
      encryptionKey: props.key,
      removalPolicy: props.removalPolicy,
      generateSecretString: {
        secretStringTemplate: JSON.stringify(shape.template),
        generateStringKey: shape.generatedField,
        passwordLength: 40,
        excludePunctuation: true,
      },
    });
  }
}
