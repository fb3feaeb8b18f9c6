/**
 * The change review policy and its parser: the config loader reads `<stage>.changeReview.allowReplace` with it
 * (lib/config), the review script enforces it (lambda/pipeline).
 *
 * @packageDocumentation
 */

/**
 * What a stage's change review enforces. Built from the stage's config keys
 * `changeReview.allowReplace` and `changeReview.failOnDrift` and passed to the step as parameters.
 */
export interface ChangeReviewPolicy {
  /**
   * Retained resources that may be replaced or removed in this stage: conscious exceptions, each with a reason.
   * @default none: every replacement or removal of a retained resource fails the review
   */
  readonly allowReplace: readonly AllowedReplacement[];
  /**
   * Whether a drifted resource fails the review; when false, drift only shows in the report.
   * @default true for Prod, false elsewhere (set by the config declaration, not here)
   */
  readonly failOnDrift: boolean;
}

/** One retained resource allowed to be replaced or removed. */
export interface AllowedReplacement {
  /**
   * Logical id of the resource in its template (`UsersTable1A2B3C4D`); for a resource of a nested stack, the nested
   * stacks' logical ids first, joined by `/` (`Search/IndexTable1A2B3C4D`).
   */
  readonly logicalId: string;
  /** Stack the exception is limited to (`Prod-Stateful`). @default any stack of the stage */
  readonly stack?: string;
  /** Why the loss is acceptable; shown in the report. */
  readonly reason: string;
}

const LOGICAL_ID = /^[A-Za-z0-9]{1,255}$/;
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;

/**
 * Reads one `allowReplace` entry: `{ "logicalId": "Id" | "Stack/Id" | "Stack/NestedStackId/Id", "reason": "..." }`.
 * With one `/` or more, the first part is always the stack name: a resource of a nested stack is named from its
 * top-level stack.
 * @param path where the entry came from, for the error message (`prod.changeReview.allowReplace[0]`).
 * @throws Error naming the path, the value and what is accepted.
 */
export function parseAllowedReplacement(raw: unknown, path: string): AllowedReplacement {
  const accepted =
    'an object { "logicalId": "<LogicalId>" or "<StackName>/<LogicalId>" or "<StackName>/<NestedStackLogicalId>/<LogicalId>", "reason": "<why the loss is acceptable, at least 10 characters>" }';
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new Error(`${path} = ${JSON.stringify(raw)} is not ${accepted}`);
  const { logicalId, reason, ...rest } = raw as Record<string, unknown>;
  if (Object.keys(rest).length)
    throw new Error(`${path} has unknown keys ${Object.keys(rest).join(', ')}; accepted: ${accepted}`);
  if (typeof logicalId !== 'string')
    throw new Error(`${path}.logicalId = ${JSON.stringify(logicalId)} is not a string; accepted: ${accepted}`);
  const parts = logicalId.split('/');
  const [stack, ids] = parts.length > 1 ? [parts[0], parts.slice(1)] : [undefined, parts];
  if (!ids.every((id) => LOGICAL_ID.test(id)) || (stack !== undefined && !STACK_NAME.test(stack))) {
    throw new Error(
      `${path}.logicalId = ${JSON.stringify(logicalId)} is not a CloudFormation logical id, optionally prefixed by a stack name and "/" (and the nested stacks' logical ids, each followed by "/")`,
    );
  }
  const id = ids.join('/');
  if (typeof reason !== 'string' || reason.trim().length < 10) {
    throw new Error(
      `${path}.reason = ${JSON.stringify(reason)} is not a reason of at least 10 characters; say why losing the resource is acceptable`,
    );
  }
  return { logicalId: id, ...(stack ? { stack } : {}), reason: reason.trim() };
}

/**
 * Reads a whole policy (the step's parameters carry it as JSON).
 * @throws Error naming the key, the value and what is accepted.
 */
export function parseChangeReviewPolicy(raw: unknown, path = 'changeReview'): ChangeReviewPolicy {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new Error(`${path} = ${JSON.stringify(raw)} is not an object { allowReplace, failOnDrift }`);
  const { allowReplace = [], failOnDrift } = raw as Record<string, unknown>;
  if (!Array.isArray(allowReplace))
    throw new Error(`${path}.allowReplace = ${JSON.stringify(allowReplace)} is not a list of exceptions`);
  if (typeof failOnDrift !== 'boolean')
    throw new Error(`${path}.failOnDrift = ${JSON.stringify(failOnDrift)} is not true or false`);
  const entries = allowReplace.map((e, i) => parseAllowedReplacement(e, `${path}.allowReplace[${i}]`));
  const seen = new Set<string>();
  for (const e of entries) {
    const key = `${e.stack ?? '*'}/${e.logicalId}`;
    if (seen.has(key))
      throw new Error(`${path}.allowReplace lists ${e.stack ? `${e.stack}/` : ''}${e.logicalId} twice`);
    seen.add(key);
  }
  return { allowReplace: entries, failOnDrift };
}
