/**
 * The public read model of commendations (Bằng khen): issued decisions with their collectives and
 * individuals and the certificate of merit of each. The ministry's model writes these tables;
 * drafts are never read here.
 */
import { and, asc, desc, eq, inArray } from "drizzle-orm";

import { certificates, commendationDecisions, commendationRecipients } from "../../../db/schema";
import { type Database, db } from "../../utils/db.server";
import { certificateStatus } from "../certificate/rules";
import { foldVi, normaliseQuery, queryTerms } from "../public/search-text";
import { provinceNameOn } from "../shared/province-sql.server";

export interface PublicRecipient {
  id: number;
  kind: "collective" | "individual";
  name: string;
  position: string | null;
  organization: string | null;
  province: string | null;
  achievement: string;
  revokedAt: string | null;
  revokedReason: string | null;
  certificate: { serial: string; code: string; status: "valid" | "expired" | "revoked" } | null;
}

export interface PublicDecision {
  id: number;
  number: string;
  signedOn: string;
  signer: string;
  signerTitle: string;
  authority: string;
  period: { from: number; to: number };
  reason: string;
  recipients: PublicRecipient[];
}

/**
 * Issued decisions, newest first, with their recipients in the decision's order. With a query,
 * only recipients whose name, organisation, position or province contain every word (without
 * diacritics) are kept, and decisions left without recipients are dropped.
 */
export async function listPublicCommendations(options: { q?: unknown } = {}, tx: Database = db()) {
  const query = normaliseQuery(options.q);
  const terms = queryTerms(query);
  const decisions = await tx
    .select()
    .from(commendationDecisions)
    .where(eq(commendationDecisions.status, "issued"))
    .orderBy(desc(commendationDecisions.signedOn), desc(commendationDecisions.id));
  if (!decisions.length) return { query, decisions: [] as PublicDecision[], total: 0 };
  const recipients = await tx
    .select({
      id: commendationRecipients.id,
      decisionId: commendationRecipients.decisionId,
      kind: commendationRecipients.kind,
      name: commendationRecipients.name,
      position: commendationRecipients.position,
      organization: commendationRecipients.organization,
      province: provinceNameOn(commendationRecipients.provinceCode, commendationDecisions.signedOn),
      achievement: commendationRecipients.achievement,
      revokedAt: commendationRecipients.revokedAt,
      revokedReason: commendationRecipients.revokedReason,
      certSerial: certificates.serial,
      certCode: certificates.code,
      certRevokedAt: certificates.revokedAt,
      certValidUntil: certificates.validUntil,
    })
    .from(commendationRecipients)
    .innerJoin(commendationDecisions, eq(commendationDecisions.id, commendationRecipients.decisionId))
    .leftJoin(certificates, and(eq(certificates.recipientId, commendationRecipients.id), eq(certificates.kind, "merit")))
    .where(inArray(commendationRecipients.decisionId, decisions.map((d) => d.id)))
    .orderBy(asc(commendationRecipients.decisionId), asc(commendationRecipients.ordinal), asc(commendationRecipients.id));

  const byDecision = new Map<number, PublicRecipient[]>();
  let total = 0;
  for (const r of recipients) {
    if (query) {
      // A query of only punctuation or symbols matches nothing (rather than everything).
      const hay = foldVi([r.name, r.organization, r.position, r.province].filter(Boolean).join(" "));
      if (!terms.length || !terms.every((t) => hay.includes(t))) continue;
    }
    const list = byDecision.get(r.decisionId) ?? [];
    list.push({
      id: r.id,
      kind: r.kind,
      name: r.name,
      position: r.position,
      organization: r.organization,
      province: r.province,
      achievement: r.achievement,
      revokedAt: r.revokedAt ? r.revokedAt.toISOString() : null,
      revokedReason: r.revokedReason,
      certificate:
        r.certSerial && r.certCode
          ? { serial: r.certSerial, code: r.certCode, status: certificateStatus({ revokedAt: r.certRevokedAt ?? r.revokedAt, validUntil: r.certValidUntil }) }
          : null,
    });
    byDecision.set(r.decisionId, list);
    total++;
  }
  const out: PublicDecision[] = [];
  for (const d of decisions) {
    const list = byDecision.get(d.id) ?? [];
    if (query && !list.length) continue;
    out.push({
      id: d.id,
      number: d.number,
      signedOn: d.signedOn,
      signer: d.signerName,
      signerTitle: d.signerTitle,
      authority: d.authority,
      period: { from: d.periodFrom, to: d.periodTo },
      reason: d.reason,
      recipients: list,
    });
  }
  return { query, decisions: out, total };
}
