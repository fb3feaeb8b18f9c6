/** Where a template's values are resolved: its stack's account, region and partition. */
export interface ValueContext {
  readonly account: string;
  readonly region: string;
  readonly partition: string;
}

/** What a value the walk cannot know before deployment resolves to: it matches no ARN. */
const UNKNOWN = '<unknown>';

const PSEUDO: Record<string, (ctx: ValueContext) => string> = {
  'AWS::AccountId': (ctx) => ctx.account,
  'AWS::Region': (ctx) => ctx.region,
  'AWS::Partition': (ctx) => ctx.partition,
  'AWS::URLSuffix': () => 'amazonaws.com',
};

function isIntrinsic(value: object): value is Record<string, unknown> {
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}

/**
 * A CloudFormation value as a string, as far as it is known before deployment: pseudo parameters,
 * `Fn::Join` and `Fn::Sub` are resolved; a reference to a resource or an output (`Ref`, `Fn::GetAtt`, ...)
 * becomes `<unknown>`, which no ARN matches.
 */
export function resolveString(value: unknown, ctx: ValueContext): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !isIntrinsic(value)) return UNKNOWN;
  if ('Ref' in value) return typeof value.Ref === 'string' && PSEUDO[value.Ref] ? PSEUDO[value.Ref](ctx) : UNKNOWN;
  const join = value['Fn::Join'];
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1]))
    return join[1].map((part) => resolveString(part, ctx)).join(join[0]);
  const sub = value['Fn::Sub'];
  const [text, vars] = Array.isArray(sub) ? [sub[0], sub[1] ?? {}] : [sub, {}];
  if (typeof text === 'string')
    return text.replace(/\$\{([^}!]+)\}/g, (_, name: string) =>
      PSEUDO[name] ? PSEUDO[name](ctx) : name in vars ? resolveString(vars[name], ctx) : UNKNOWN,
    );
  return UNKNOWN;
}

/** An ARN in text: partition, service, region (may be empty), an account id, and a resource. */
const ARN = /arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{12}:[A-Za-z0-9_+=,.@/:-]+/g;

/**
 * Every ARN written in `value`: in a string (JSON in a string included), in a CloudFormation value once
 * resolved ({@link resolveString}), or anywhere inside an object or array.
 */
export function arnsIn(value: unknown, ctx: ValueContext): string[] {
  if (typeof value === 'string') return [...value.matchAll(ARN)].map((m) => m[0].replace(/[.,:]+$/, ''));
  if (Array.isArray(value)) return value.flatMap((v) => arnsIn(v, ctx));
  if (typeof value === 'object' && value !== null)
    return isIntrinsic(value)
      ? arnsIn(resolveString(value, ctx), ctx)
      : Object.values(value).flatMap((v) => arnsIn(v, ctx));
  return [];
}
