export * from './stage-config';
export * from './config-error';
export * from './load-config';
export * from './resource-names';
export * from './output-names';
export * from './backup-schedule';
export * from './vault-lock';
export type { RawConfig } from './read-keys';
