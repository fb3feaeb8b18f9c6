// The synth floor of `npm run bench`: a plain JavaScript CDK app with one stack and nothing else,
// run exactly as the whole app is (`npx cdk synth --app "node bench/empty-app.js"`, default CDK settings).
const { App, CfnWaitConditionHandle, Stack } = require('aws-cdk-lib');

const app = new App();
// One resource-free placeholder, so the template passes CloudFormation's "Resources must not be empty" check.
new CfnWaitConditionHandle(new Stack(app, 'EmptyStack'), 'Placeholder');
