import { readFileSync } from 'fs';
import * as path from 'path';
import { isCdkContextKey } from '../lib/config/read-keys';

/**
 * Environment variable naming the config fixture the tests build from: a JSON object of config keys (no CDK
 * feature flags), as a path relative to the repository root. Unset: {@link BASE_CONFIG_FIXTURE}.
 */
export const TEST_CONFIG_ENV = 'TEST_CONFIG';

/**
 * The config fixture tests build from by default: the config the repository's cdk.json ships with (a key added to
 * cdk.json is added here too).
 */
export const BASE_CONFIG_FIXTURE = 'test/fixtures/config/base.json';

/** A second, different config (other accounts, eu-central-1, a `qa` stage with an approval, a longer Staging bake). */
export const ADOPTER_CONFIG_FIXTURE = 'test/fixtures/config/adopter.json';

const ROOT = path.join(__dirname, '..');

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.resolve(ROOT, file), 'utf8'));
}

/** The context of cdk.json: the config the app really deploys, and the CDK's feature flags. */
export function cdkJsonContext(): Record<string, unknown> {
  return readJson('cdk.json').context as Record<string, unknown>;
}

/** The CDK's own keys of cdk.json (feature flags, CLI settings): how every app of this repository synthesizes. */
export function cdkOwnContext(): Record<string, unknown> {
  return Object.fromEntries(Object.entries(cdkJsonContext()).filter(([key]) => isCdkContextKey(key, [])));
}

/** The config keys of a committed config fixture (`file` relative to the repository root). */
export function configFixture(file: string): Record<string, unknown> {
  return readJson(file);
}

/** Path (relative to the repository root) of the config fixture the tests build from: {@link TEST_CONFIG_ENV}'s, or the base fixture. */
export function testConfigFile(): string {
  return process.env[TEST_CONFIG_ENV] || BASE_CONFIG_FIXTURE;
}

/** The context tests build from: cdk.json's feature flags with the config keys of {@link testConfigFile}. */
export function testContext(): Record<string, unknown> {
  return { ...cdkOwnContext(), ...configFixture(testConfigFile()) };
}
