import type { StepsFile, TermsVersion } from '../../config';

function byEffective(a: TermsVersion, b: TermsVersion): number {
  return a.effective < b.effective ? -1 : a.effective > b.effective ? 1 : a.version < b.version ? -1 : a.version > b.version ? 1 : 0;
}

/** Versions in force on `now`, oldest first. */
export function versionsInForce(file: StepsFile, now: Date): TermsVersion[] {
  const today = now.toISOString().slice(0, 10);
  return file.terms.versions.filter((v) => v.effective <= today).sort(byEffective);
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
