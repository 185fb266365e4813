import type { StepsFile } from '../../config/steps-file';
import type { TermsVersion } from './config-schema';
import { termsSection } from './settings';

function byEffective(a: TermsVersion, b: TermsVersion): number {
  return a.effective < b.effective ? -1 : a.effective > b.effective ? 1 : a.version < b.version ? -1 : a.version > b.version ? 1 : 0;
}

/** Versions in force on `now`, oldest first. */
export function versionsInForce(file: StepsFile, now: Date): TermsVersion[] {
  const today = now.toISOString().slice(0, 10);
  return termsSection(file).versions.filter((v) => v.effective <= today).sort(byEffective);
}

/**
 * The oldest version a person may have accepted and still not be asked again: the newest version in force that
 * needs re-acceptance (a typo fix, `reaccept: false`, does not move it). The Action compares against this.
 */
export function reacceptFrom(file: StepsFile, now: Date): string | null {
  const needing = versionsInForce(file, now).filter((v) => v.reaccept);
  return needing.at(-1)?.version ?? versionsInForce(file, now)[0]?.version ?? null;
}

/** The versions that came after the one the person accepted, up to the current one, with what changed. */
export function changesSince(file: StepsFile, acceptedVersion: string | undefined, now: Date): TermsVersion[] {
  if (!acceptedVersion) return [];
  const inForce = versionsInForce(file, now);
  const accepted = inForce.findIndex((v) => v.version === acceptedVersion);
  if (accepted === -1) return [];
  return inForce.slice(accepted + 1).filter((v) => v.changes);
}

/** The version in force is the latest one whose effective date has come (the earliest, before any has). */
export function currentTermsVersion(file: StepsFile, now: Date = new Date()): TermsVersion {
  const today = now.toISOString().slice(0, 10);
  const { versions } = termsSection(file);
  const inForce = versions.filter((v) => v.effective <= today).sort((a, b) => (a.effective < b.effective ? 1 : -1));
  const chosen = inForce[0] ?? [...versions].sort((a, b) => (a.effective < b.effective ? -1 : 1))[0];
  if (!chosen) throw new Error('steps file has no terms version');
  return chosen;
}

/**
 * What the Action needs to decide who reads the terms (GET /api/requirements): the version in force and the oldest
 * accepted version that does not need re-accepting (never past the current one: the Action checks ≤ current).
 */
export function termsRequirements(file: StepsFile, now: Date): { current: string; reaccept_from: string } {
  const current = currentTermsVersion(file, now).version;
  const line = reacceptFrom(file, now) ?? current;
  return { current, reaccept_from: line > current ? current : line };
}
