/**
 * The public surface of the pipeline's post-deploy checks, for code that runs a check outside Lambda: the
 * operator CLI (`npm run check`), the moto fixtures (support/) and the benchmark. Everything else under
 * lambda/pipeline/private/ is the handlers' own.
 *
 * @packageDocumentation
 */
export { assumeCheckRole } from './private/assume-role';
export { describeError } from './private/aws-call';
export { createCheckClients } from './private/check-clients';
export type { CheckClientOptions, CheckClients } from './private/check-clients';
export type { CheckContext } from './private/check-context';
export type { CheckReport } from './private/check-result';
export { runDrReadinessCheck } from './private/dr-readiness';
export { fetchGet } from './private/http-get';
export type { HttpGet } from './private/http-get';
export { runStageHealthCheck } from './private/stage-health';
export { parseCheckParameters } from './private/user-parameters';
