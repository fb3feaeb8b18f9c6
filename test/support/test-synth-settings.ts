/**
 * Jest setup file (runs in every test worker, and child processes the tests start
 * inherit it): settings that make a test synth cheaper without changing a template.
 *
 * - CDK's built-in CloudFormation template validation is off; it otherwise runs on every synth and
 *   costs more than the synth itself. Template validity is gated once per assembly:
 *   test/compliance/gates.test.ts turns it back on for the gated synthesis of the whole app and
 *   runs cfn-lint over the same assembly.
 * - Construct creation stack traces are off (context `aws:cdk:disable-creation-stack-traces`, and
 *   `aws:cdk:disable-stack-trace` for metadata): CDK captures one per resource, and under jest's
 *   source-mapped stack traces they cost about a tenth of the whole test run. They only feed the
 *   CLI's "Source Location" lines; `cdk synth` and the pipeline keep them.
 *   CDK_CONTEXT_JSON is read by every `new App()` after its `context` prop, so these two keys hold
 *   in every test app and nothing else is overridden.
 */
process.env.CDK_VALIDATION = 'false';
process.env.CDK_CONTEXT_JSON = JSON.stringify({
  'aws:cdk:disable-creation-stack-traces': true,
  'aws:cdk:disable-stack-trace': true,
});
