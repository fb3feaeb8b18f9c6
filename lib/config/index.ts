export type * from './stage-config';
export * from './config-error';
export * from './load-config';
export * from './backup-schedule';
export type { RawConfig } from './read-keys';
export * from './production-guards';
export * from './journey-mode';
