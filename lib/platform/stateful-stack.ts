import { RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { StageConfig } from '../config';

/** Props of {@link StatefulStack}. */
export interface StatefulStackProps extends StackProps {
  /** The stage this stack belongs to. */
  readonly stage: StageConfig;
}

/**
 * Everything that holds data: keys, tables, buckets, secrets, the user pool.
 * Kept apart from code so that a code change never touches data.
 */
export class StatefulStack extends Stack {
  /** Customer-managed key that encrypts the stage's data. */
  readonly dataKey: kms.Key;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const removalPolicy = props.stage.features.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.dataKey = new kms.Key(this, 'DataKey', {
      description: `UK Home Improvement ${props.stage.name} data key`,
      enableKeyRotation: true,
      removalPolicy,
    });
  }
}
