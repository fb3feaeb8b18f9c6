import { Template } from 'aws-cdk-lib/assertions';
import type { PlatformStage } from '../../stages/platform-stage';

/**
 * `template(stageName, stackId)` over the stages `stage` finds: each stack's Template built once, on
 * first use, and an error naming the stage and stack when the stage has no such stack.
 */
export function stackTemplates(
  stage: (name: string) => PlatformStage,
): (stageName: string, stackId: string) => Template {
  const templates = new Map<string, Template>();
  return (stageName, stackId) => {
    const key = `${stageName}/${stackId}`;
    if (!templates.has(key)) {
      const stack = stage(stageName).stacks.find((s) => s.node.id === stackId);
      if (!stack) throw new Error(`stage ${stageName} has no stack ${stackId}`);
      templates.set(key, Template.fromStack(stack));
    }
    return templates.get(key)!;
  };
}
