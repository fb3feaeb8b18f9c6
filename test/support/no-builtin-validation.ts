/**
 * Jest setup file (runs in every test file's environment): turns off CDK's built-in CloudFormation
 * template validation, which otherwise runs on every synth and costs more than the synth itself.
 * Template validity is gated once per assembly: test/compliance/gates.test.ts turns it back on
 * for the gated synthesis of the whole app (gatedApp) and runs cfn-lint over the same assembly.
 * Child processes the tests start (bin/app.ts) inherit it.
 */
process.env.CDK_VALIDATION = 'false';
