import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { GateFinding, readGateFindings } from './compliance-report';

/** Result of {@link synthWithGates}. */
export interface GatedSynthesis {
  /** Directory of the cloud assembly (templates of every stage, `validation-report.json`). */
  readonly outdir: string;
  /** Unacknowledged findings of the compliance packs; empty when the gates pass. */
  readonly findings: GateFinding[];
}

/**
 * Synthesizes `app` (created with `outdir` = {@link gatesOutdir} or any empty directory, and with
 * {@link applyComplianceGates} applied) and returns its findings instead of throwing, so a test can
 * list them. Errors other than a failed validation are rethrown.
 */
export function synthWithGates(app: App): GatedSynthesis {
  const outdir = app.outdir;
  try {
    app.synth();
  } catch (e) {
    if (!/ValidationFailed|Validation failed|validation report/i.test(`${(e as Error).name} ${(e as Error).message}`)) throw e;
  }
  return { outdir, findings: readGateFindings(outdir) };
}

/** A fresh temporary directory for a gated synthesis. */
export function gatesOutdir(): string {
  return mkdtempSync(path.join(tmpdir(), 'cdk-gates-'));
}
