import { readFileSync } from 'fs';
import * as path from 'path';
import { AppConfig, loadConfig } from '../../lib/config';

function cdkJson(): { app: string; context: Record<string, unknown> } {
  return JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8'));
}

/** The context of cdk.json: the app's default configuration and feature flags. */
export function defaultContext(): Record<string, unknown> {
  return cdkJson().context;
}

/** The command cdk.json starts the app with (run from the repository root). */
export function appCommand(): string {
  return cdkJson().app;
}

/** The default context with `overrides` on top, as `-c key=value` would give. */
export function contextWith(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...defaultContext(), ...overrides };
}

/** Validated config from the default context with `overrides` on top. */
export function configWith(overrides: Record<string, unknown> = {}): AppConfig {
  const ctx = contextWith(overrides);
  return loadConfig(ctx);
}
