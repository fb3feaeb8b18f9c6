/** Operator CLI: `npm run cleanup -- --stage prod [--delete]`. See scripts/cleanup-command.ts. */
import { runCleanupCommand } from './cleanup-command';

runCleanupCommand(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`cleanup: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 2;
  },
);
