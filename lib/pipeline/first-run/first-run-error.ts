import type { FirstRunFinding } from './first-run-walk';

/**
 * Raised when the pipeline, run for the first time from accounts that hold only the CDK bootstrap, would
 * reach an action or condition rule that uses a role or resource nothing has created yet. Its message
 * names each one, for the person who ran `cdk synth`.
 */
export class FirstRunError extends Error {
  constructor(readonly findings: readonly FirstRunFinding[]) {
    super(
      `The pipeline cannot complete its first execution (${findings.length} finding${findings.length === 1 ? '' : 's'} ` +
        'of the first-run walk, which starts from stage accounts that hold only the CDK bootstrap):\n' +
        findings.map((f) => `- ${f.message}`).join('\n') +
        '\nNo action may use a role or resource that a later action of the same execution creates: ' +
        'read through a role that exists before the first run (the CDK bootstrap roles), or create it earlier ' +
        '(docs/delivery-gates.md, "First run").',
    );
    this.name = 'FirstRunError';
  }
}
