/** Operator CLI: `npm run seed-moto -- --stage dev --endpoint-url http://127.0.0.1:5000`. See scripts/seed-moto-command.ts. */
import { runSeedMotoCommand } from './seed-moto-command';

runSeedMotoCommand(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`seed-moto: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
