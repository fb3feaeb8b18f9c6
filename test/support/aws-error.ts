/** An error as the AWS SDK v3 throws it for a service's answer: its `name` and the HTTP status in `$metadata`. */
export const awsError = (name: string, status: number, message = `${name} happened`): Error =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
