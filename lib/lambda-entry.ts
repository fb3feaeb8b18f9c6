import { existsSync } from 'fs';
import * as path from 'path';

/** The two rooms of lambda/: functions of the platform (stage accounts) and of the pipeline account. */
export type LambdaRoom = 'platform' | 'pipeline';

/** The rooms {@link lambdaEntry} accepts. */
export const LAMBDA_ROOMS: readonly LambdaRoom[] = ['platform', 'pipeline'];

/** Folder that holds the rooms. */
const LAMBDA_DIR = path.join(__dirname, '..', 'lambda');

/** Function folder names: lower-case words joined by hyphens (`health-endpoint`, `dr-check`). */
const NAME_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * The one way to locate a function's entry: `lambda/<room>/<name>/index.ts`, which exports `handler`.
 * Throws, naming the path, when the room or name is not accepted or the file does not exist, so a
 * renamed or missing handler fails synthesis instead of bundling the wrong file.
 */
export function lambdaEntry(room: LambdaRoom, name: string): string {
  if (!LAMBDA_ROOMS.includes(room)) {
    throw new Error(
      `lambdaEntry: room ${JSON.stringify(room)} is not accepted; expected one of ${LAMBDA_ROOMS.join(', ')}.`,
    );
  }
  if (!NAME_PATTERN.test(name) || name === 'shared' || name === 'private') {
    throw new Error(
      `lambdaEntry: name ${JSON.stringify(name)} is not a function folder; expected lower-case words joined by hyphens (not shared or private).`,
    );
  }
  const entry = path.join(LAMBDA_DIR, room, name, 'index.ts');
  if (!existsSync(entry)) {
    throw new Error(
      `lambdaEntry: ${path.relative(path.join(LAMBDA_DIR, '..'), entry)} does not exist; every function's entry is lambda/<room>/<name>/index.ts exporting handler.`,
    );
  }
  return entry;
}
