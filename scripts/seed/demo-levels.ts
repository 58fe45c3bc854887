/**
 * Screening as the secretariat records it (issue 15): the eligibility checklist, every condition
 * ticked, and the lower certificate read from the paper scan in the dossier (number, issuer, level,
 * date, validity) with the screener's check. Used by the demo seeds and the test world, which screen
 * through the same model function the screening page calls.
 */
import { eq } from "drizzle-orm";

import { ELIGIBILITY_CONDITIONS, type Checklist, type ConditionKey, type PaperCertificate } from "../../app/models/entry/eligibility-rules";
import { db } from "../../app/utils/db.server";
import { entries } from "../../db/schema";

/** Every condition met, or the given one failed with its reason. */
export function demoChecklist(failed?: { key: ConditionKey; note: string }): Checklist {
  return {
    conditions: ELIGIBILITY_CONDITIONS.map((c) => ({
      key: c.key,
      label: c.label,
      ok: c.key !== failed?.key,
      note: c.key === failed?.key ? failed.note : "",
    })),
  };
}

/**
 * The paper lower certificate of a submitted entry as the screener reads it from the scan: the
 * described serial and issuer, the given level, issued on 1 June of the described year.
 */
export async function paperFromDossier(entryId: number, facts: { level: string; validUntil: string }): Promise<PaperCertificate> {
  const [entry] = await db().select({ snapshot: entries.snapshot, lower: entries.lowerCertificate }).from(entries).where(eq(entries.id, entryId));
  const snapshot = (entry?.snapshot ?? {}) as { documents?: { id: string; docType: string | null }[] };
  const scan = snapshot.documents?.find((d) => d.docType === "earlier_certificate") ?? snapshot.documents?.[0];
  const lower = entry?.lower ?? {};
  return {
    serial: lower.serial || `GCN-${entryId}`,
    issuer: lower.issuer || "Ủy ban nhân dân",
    level: facts.level,
    issuedOn: `${lower.year || facts.validUntil.slice(0, 4)}-06-01`,
    validUntil: facts.validUntil,
    scanId: scan?.id ?? "",
    revoked: false,
    checked: true,
  };
}

/** The checks for an eligible decision at a level that needs the lower certificate. */
export async function eligibleChecks(entryId: number, facts: { level: string; validUntil: string }) {
  return { checklist: demoChecklist(), paperCertificate: await paperFromDossier(entryId, facts) };
}
