import type { GateSpec, StageGates, ActionGate } from '../../../contracts/gate-spec';
import { GATE_SPEC_VERSION } from '../../../contracts/gate-spec';

const BASE64 = '[A-Za-z0-9+/]+={0,2}';
const COMMAND = new RegExp(
  `^guard=\\$\\(mktemp --suffix=\\.js\\) && echo (${BASE64}) \\| base64 -d > "\\$guard" && node "\\$guard" (${BASE64})$`,
);

/** The guard as the buildspec carries it: its bundled script and the spec it enforces. */
export interface GuardPayload {
  /** The bundled guard (JavaScript). */
  readonly script: Buffer;
  /** The spec, as written in the command (parse it with {@link parseGateSpec}). */
  readonly specJson: string;
}

/**
 * The one shell command that runs the guard: it writes the bundled script (base64 in the command, so
 * the buildspec holds everything) to a new temporary file and runs it with node on the spec (base64 JSON).
 */
export function guardCommand(script: Buffer | string, spec: GateSpec): string {
  const code = Buffer.from(script).toString('base64');
  const json = Buffer.from(JSON.stringify(spec)).toString('base64');
  return `guard=$(mktemp --suffix=.js) && echo ${code} | base64 -d > "$guard" && node "$guard" ${json}`;
}

/** The payload of a guard command; `undefined` when `command` is not one. */
export function parseGuardCommand(command: string): GuardPayload | undefined {
  const match = COMMAND.exec(command);
  if (!match) return undefined;
  return { script: Buffer.from(match[1], 'base64'), specJson: Buffer.from(match[2], 'base64').toString('utf8') };
}

function fail(where: string, expected: string): never {
  throw new Error(`gate spec: ${where} is not ${expected}`);
}

function str(value: unknown, where: string): string {
  if (typeof value !== 'string' || value === '') fail(where, 'a non-empty string');
  return value;
}

function obj(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(where, 'an object');
  return value as Record<string, unknown>;
}

function list(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) fail(where, 'a list');
  return value;
}

function action(value: unknown, where: string): ActionGate {
  const a = obj(value, where);
  return {
    name: str(a.name, `${where}.name`),
    category: str(a.category, `${where}.category`),
    provider: str(a.provider, `${where}.provider`),
  };
}

function stageGates(value: unknown, where: string): StageGates {
  const s = obj(value, where);
  if (typeof s.rollbackOnFailure !== 'boolean') fail(`${where}.rollbackOnFailure`, 'true or false');
  const approval = s.approval === undefined ? undefined : obj(s.approval, `${where}.approval`);
  const window = s.window === undefined ? undefined : obj(s.window, `${where}.window`);
  const bake = s.bake === undefined ? undefined : obj(s.bake, `${where}.bake`);
  if (bake && (typeof bake.minutes !== 'number' || !Number.isInteger(bake.minutes) || bake.minutes < 1))
    fail(`${where}.bake.minutes`, 'a whole number of minutes, at least 1');
  return {
    stage: str(s.stage, `${where}.stage`),
    ...(approval
      ? {
          approval: {
            stage: str(approval.stage, `${where}.approval.stage`),
            actions: list(approval.actions, `${where}.approval.actions`).map((a, i) =>
              action(a, `${where}.approval.actions[${i}]`),
            ),
          },
        }
      : {}),
    ...(window
      ? {
          window: {
            cron: str(window.cron, `${where}.window.cron`),
            timeZone: str(window.timeZone, `${where}.window.timeZone`),
          },
        }
      : {}),
    rollbackOnFailure: s.rollbackOnFailure,
    ...(bake
      ? {
          bake: {
            action: action(bake.action, `${where}.bake.action`),
            alarmName: str(bake.alarmName, `${where}.bake.alarmName`),
            minutes: bake.minutes as number,
          },
        }
      : {}),
    checks: list(s.checks, `${where}.checks`).map((a, i) => action(a, `${where}.checks[${i}]`)),
  };
}

/**
 * A gate spec read from JSON text, its shape checked.
 * @throws Error naming the first field that is missing or of the wrong kind.
 */
export function parseGateSpec(json: string): GateSpec {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    throw new Error(`gate spec: not JSON (${(e as Error).message})`, { cause: e });
  }
  const spec = obj(raw, 'the spec');
  if (spec.version !== GATE_SPEC_VERSION) fail('version', String(GATE_SPEC_VERSION));
  const location = obj(spec.pipelineStack, 'pipelineStack');
  const selfMutation = obj(spec.selfMutation, 'selfMutation');
  return {
    version: GATE_SPEC_VERSION,
    pipelineName: str(spec.pipelineName, 'pipelineName'),
    pipelineStack: {
      assembly: str(location.assembly, 'pipelineStack.assembly'),
      stack: str(location.stack, 'pipelineStack.stack'),
    },
    selfMutation: {
      stage: str(selfMutation.stage, 'selfMutation.stage'),
      action: str(selfMutation.action, 'selfMutation.action'),
    },
    production: list(spec.production, 'production').map((s, i) => stageGates(s, `production[${i}]`)),
  };
}
