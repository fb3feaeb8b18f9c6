import type { RawConfig } from './read-keys';
import type { PipelineConfig, StageConfig } from './stage-config';

/**
 * What a config allows but an adopter probably did not mean, one sentence each naming the key, its value and what
 * to set: synth accepts the config and prints each as a warning (lib/pipeline/pipeline-stack.ts).
 */
export function configWarnings(raw: RawConfig, pipeline: PipelineConfig, stages: readonly StageConfig[]): string[] {
  const warnings: string[] = [];
  const regionSet = raw['pipeline.region'] !== undefined && raw['pipeline.region'] !== null;
  const stageRegions = [...new Set(stages.map((s) => s.region))];
  if (!regionSet && stages.length > 0 && !stageRegions.includes(pipeline.region)) {
    warnings.push(
      `pipeline.region is not set, so the pipeline runs in the default "${pipeline.region}", where no stage deploys ` +
        `(${stageRegions.join(', ')}); set pipeline.region explicitly to keep it there or to move it beside the stages.`,
    );
  }
  const approved = stages.filter((s) => s.delivery.manualApproval).map((s) => s.name);
  if (approved.length > 0 && pipeline.notificationEmails.length === 0) {
    warnings.push(
      `pipeline.notificationEmails = [] while ${approved.join(', ')} wait${approved.length === 1 ? 's' : ''} for a manual approval: ` +
        'nobody is e-mailed the approval request, the change review summary or a failure; add the approvers.',
    );
  }
  for (const stage of stages.filter((s) => s.production && s.alertEmails.length === 0)) {
    warnings.push(
      `${stage.name}.alertEmails = [] on production stage ${stage.name}: its critical alarms notify a topic nobody is subscribed to; ` +
        'add the on-call address.',
    );
  }
  return warnings;
}
