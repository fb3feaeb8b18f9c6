import { readFileSync } from 'fs';
import * as path from 'path';
import type { AppConfig } from '../../lib/config';
import { loadConfig } from '../../lib/config';
import { cdkJsonContext, testContext } from '../../support/test-config';

/**
 * The context tests build from: cdk.json's feature flags with the config keys of the committed config fixture
 * (support/test-config.ts: test/fixtures/config/base.json, or the fixture TEST_CONFIG names), never cdk.json's
 * config values, which an adopting team changes.
 */
export function defaultContext(): Record<string, unknown> {
  return testContext();
}

/** The context of cdk.json as committed: for whole-app gates and generated docs, which hold for whatever it sets. */
export function realContext(): Record<string, unknown> {
  return cdkJsonContext();
}

/** The command cdk.json starts the app with (run from the repository root). */
export function appCommand(): string {
  return JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8')).app;
}

/** The tests' context with `overrides` on top, as `-c key=value` would give. */
export function contextWith(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...defaultContext(), ...overrides };
}

/** Validated config from the tests' context with `overrides` on top. */
export function configWith(overrides: Record<string, unknown> = {}): AppConfig {
  return loadConfig(contextWith(overrides));
}
