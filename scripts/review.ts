/** Operator CLI: `npm run review -- --stage prod [--assembly cdk.out]`. See scripts/review-command.ts. */
import { runReviewCommand } from './review-command';

runReviewCommand(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`review: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  },
);
