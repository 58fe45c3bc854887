/**
 * What screening verifies beside the decision (issue 15 §3, §4): the eligibility checklist and the
 * lower-level certificate — linked automatically when it was issued here, else recorded from paper
 * with the screener's check. A certificate of the wrong level, expired on the round's closing day or
 * revoked cannot pass.
 */
import { eq } from "drizzle-orm";

import { certificates, rounds, type Entry, type Round } from "../../../db/schema";
import type { Database } from "../../utils/db.server";
import { AppError } from "../../utils/errors";
import { vietnamDay } from "../round/territory-rules";
import {
  checklistDecisionProblem,
  lowerCertificateProblem,
  needsLowerCertificate,
  type Checklist,
  type PaperCertificate,
} from "./eligibility-rules";

export interface ScreeningChecks {
  checklist?: Checklist | null;
  paperCertificate?: PaperCertificate | null;
}

async function systemCertificate(id: number, tx: Database) {
  const [row] = await tx
    .select({ certificate: certificates, level: rounds.level })
    .from(certificates)
    .leftJoin(rounds, eq(rounds.id, certificates.roundId))
    .where(eq(certificates.id, id));
  return row ?? null;
}

async function certificateBySerial(serial: string, tx: Database) {
  const [row] = await tx.select({ id: certificates.id }).from(certificates).where(eq(certificates.serial, serial.toUpperCase()));
  return row ? systemCertificate(row.id, tx) : null;
}

function describeSystem(row: NonNullable<Awaited<ReturnType<typeof systemCertificate>>>) {
  const c = row.certificate;
  return {
    source: "system" as const,
    certificateId: c.id,
    kind: c.kind,
    serial: c.serial,
    issuer: c.issuer,
    level: row.level ?? "",
    decisionNo: c.decisionNo,
    issuedOn: c.decisionDate,
    validUntil: c.validUntil,
    revoked: !!c.revokedAt,
  };
}

/**
 * @returns what to store on the entry: the checklist and the verified lower certificate.
 * @throws AppError 400 (Vietnamese) when the decision does not fit the checklist, or "hợp lệ" is
 *   chosen while the lower certificate is missing, of the wrong level, expired or revoked.
 */
export async function verifyAtScreening(
  input: { round: Round; entry: Entry; decision: string } & ScreeningChecks,
  tx: Database,
): Promise<{ eligibility: Record<string, unknown> | null; lowerCertificateCheck: Record<string, unknown> | null }> {
  const checklist = input.checklist ?? null;
  const problem = checklistDecisionProblem(input.decision, checklist);
  if (problem) throw new AppError(400, problem, { _checklist: problem });
  let lower: Record<string, unknown> | null = null;
  if (needsLowerCertificate(input.round.level)) {
    const closesOn = vietnamDay(input.round.registrationClosesAt);
    let facts: ReturnType<typeof describeSystem> | (PaperCertificate & { source: "paper" }) | null = null;
    const linked = input.entry.lowerCertificateId ? await systemCertificate(input.entry.lowerCertificateId, tx) : null;
    if (linked) facts = describeSystem(linked);
    // A dossier sent back for completion is not verified yet: a half-filled paper record is not an error then.
    else if (input.paperCertificate && input.decision !== "returned") {
      const paper = input.paperCertificate;
      const docs = ((input.entry.snapshot as { documents?: { id: string }[] } | null)?.documents ?? []).map((d) => d.id);
      if (!docs.includes(paper.scanId)) {
        throw new AppError(400, "Bản chụp giấy chứng nhận phải là một tài liệu trong hồ sơ đã nộp.", { pc_scan: "Chọn một tài liệu của hồ sơ." });
      }
      if (!paper.checked) throw new AppError(400, "Đánh dấu đã đối chiếu bản chụp với bản gốc giấy chứng nhận.", { pc_checked: "Chưa đối chiếu." });
      // A paper serial that is one of ours takes our record (it may have been revoked here).
      const ours = await certificateBySerial(paper.serial, tx);
      facts = ours ? { ...describeSystem(ours) } : { ...paper, source: "paper" };
    }
    const certProblem = facts
      ? lowerCertificateProblem(input.round.level, closesOn, {
          level: facts.level,
          validUntil: facts.validUntil,
          revoked: facts.revoked,
          serial: facts.serial,
          kind: facts.source === "system" ? facts.kind : undefined,
        })
      : null;
    if (facts) lower = { ...facts, closesOn, problem: certProblem };
    if (input.decision === "eligible") {
      if (!facts) {
        const msg =
          "Chưa xác minh Giấy chứng nhận cấp dưới: ghi số, cơ quan cấp, cấp, ngày cấp, ngày hết hiệu lực, chọn bản chụp và đánh dấu đã đối chiếu bản gốc.";
        throw new AppError(400, msg, { pc_serial: msg });
      }
      if (certProblem) throw new AppError(400, certProblem, { pc_validUntil: certProblem });
    }
  }
  return { eligibility: checklist ? { ...checklist } : null, lowerCertificateCheck: lower };
}
