import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import type { App } from 'aws-cdk-lib';
import type { GateFinding } from './compliance-report';
import { readGateFindings } from './compliance-report';

/** Result of {@link synthWithGates}. */
export interface GatedSynthesis {
  /** Directory of the cloud assembly (templates of every stage, and the compliance report `validation-report.json`). */
  readonly outdir: string;
  /** Unacknowledged findings of the compliance packs; empty when the gates pass. */
  readonly findings: GateFinding[];
}

/** Name of the error `app.synth()` throws when a policy validation plugin reports a finding. */
const POLICY_VALIDATION_FAILED = 'ValidationFailed';

/**
 * Synthesizes `app` (created with `outdir` = {@link gatesOutdir} or any empty directory, and with
 * compliance plugins registered, e.g. by applyComplianceGates) and returns its findings instead of
 * throwing, so a test can list them. Every other error is rethrown, including a construct's own
 * validation error (`ValidationFailedWithErrors`): synthesis that fails before the plugins run has
 * checked nothing.
 *
 * @throws Error when synthesis fails for any reason other than findings, or wrote no compliance report.
 */
export function synthWithGates(app: App): GatedSynthesis {
  const outdir = app.outdir;
  try {
    app.synth();
  } catch (e) {
    if ((e as Error).name !== POLICY_VALIDATION_FAILED) throw e;
  }
  return { outdir, findings: readGateFindings(outdir) };
}

/** A fresh temporary directory for a gated synthesis. */
export function gatesOutdir(): string {
  return mkdtempSync(path.join(tmpdir(), 'cdk-gates-'));
}
