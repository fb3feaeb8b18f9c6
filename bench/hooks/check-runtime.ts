/**
 * Benchmark hook (see bench/run.ts): seeds a staging stage into moto_server, runs one full health
 * check and one full DR check with the real check code, and prints their run times in ms as JSON
 * on the last line. Exits 1 when a check does not pass, so a broken seed never reports a time.
 */
import { runDrReadinessCheck, runStageHealthCheck } from '../../lambda/pipeline/check-runner';
import { startMotoStage } from '../../support/moto-stage';

async function main(): Promise<void> {
  const stage = await startMotoStage();
  try {
    // One warm-up round: the emulator's first answers include its own start-up.
    await runStageHealthCheck(stage.context());
    await runDrReadinessCheck(stage.context());
    const health = await runStageHealthCheck(stage.context());
    const dr = await runDrReadinessCheck(stage.context());
    if (!health.passed || !dr.passed) throw new Error('the seeded stage did not pass its checks');
    console.log(JSON.stringify({ health: health.durationMs, dr: dr.durationMs }));
  } finally {
    await stage.stop();
  }
}

main().catch((error) => {
  console.error(`check-runtime hook failed: ${(error as Error).message}`);
  process.exit(1);
});
