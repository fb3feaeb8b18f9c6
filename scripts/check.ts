/** Operator CLI: `npm run check -- health --stage staging`. See scripts/check-command.ts. */
import { runCheckCommand } from './check-command';

runCheckCommand(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`check: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  },
);
