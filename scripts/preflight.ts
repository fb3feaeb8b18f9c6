/** Operator CLI: `npm run preflight -- --stage dev`. See scripts/preflight-command.ts. */
import { runPreflightCommand } from './preflight-command';

runPreflightCommand(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`preflight: could not check: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
