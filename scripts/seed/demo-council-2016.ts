/**
 * The 2016 Northern round after scoring, as the real process runs it (issue 14 §6): the jury's
 * founding decision and the council's (a person may sit on both), scoring closed, the council met
 * on 14/09/2016 with 6 of its 7 members and voted on every entry at or above the pass mark, the
 * recommended list was made public on 15/09/2016 with a 10-day complaint window, one complaint was
 * filed and rejected with its reason, then decision 1208/QĐ-CNĐP (26/09/2016) recognised the 73
 * products and the round was published with certificates on 07/10/2016. Names and the complaint
 * are illustrative.
 */
import { eq } from "drizzle-orm";

import { findUserByEmail } from "../../app/models/account/user.server";
import { saveBodyDecision, saveSeat } from "../../app/models/council/bodies.server";
import { recordCouncilDecision } from "../../app/models/council/decision.server";
import { closeSession, openSession, recordVote } from "../../app/models/council/session.server";
import { fileComplaint, publishProvisional, resolveComplaint } from "../../app/models/results/complaint.server";
import { computeResults, publishRound } from "../../app/models/results/results.server";
import { advanceRound } from "../../app/models/round/round.server";
import { db } from "../../app/utils/db.server";
import { rounds } from "../../db/schema";
import { foundingDecisionPdf } from "./founding-decision-pdf";

const at = (iso: string) => new Date(`${iso}+07:00`);

const COUNCIL_ROLE_TEXT = { chair: "Chủ tịch Hội đồng", vice_chair: "Phó Chủ tịch Hội đồng", member: "Ủy viên", secretary: "Ủy viên thư ký" } as const;

async function roundTitleOf(roundId: number) {
  const [r] = await db().select({ title: rounds.title }).from(rounds).where(eq(rounds.id, roundId));
  return r?.title ?? null;
}

export const DEMO_2016_SESSION = { heldOn: "2016-09-14", place: "Hội trường Cục Công nghiệp địa phương, 655 Phạm Văn Đồng, Hà Nội" };

export async function council2016(input: { roundId: number; organizerId: string; jurorEmails: string[]; expected: number }) {
  const { roundId, organizerId } = input;
  // The council: juror 1 chairs both bodies, juror 2 is vice-chair, juror 7 the secretary.
  const roles = ["chair", "vice_chair", "member", "member", "member", "member", "secretary"] as const;
  const people = await Promise.all(input.jurorEmails.map(async (email) => (await findUserByEmail(email))!));
  const roundTitle = (await roundTitleOf(roundId)) ?? "";
  // Each body's founding decision with its signed PDF (rendered here, stored by the upload pipeline).
  for (const kind of ["jury", "council"] as const) {
    const decisionNo = kind === "jury" ? "1012/QĐ-CNĐP" : "1011/QĐ-CNĐP";
    const members = people.map((p, i) => ({
      name: p.fullName,
      role: kind === "council" ? COUNCIL_ROLE_TEXT[roles[i]] : i === 0 ? "Trưởng ban" : "Thành viên",
    }));
    const pdf = await foundingDecisionPdf({ kind, decisionNo, decisionDate: "2016-08-01", roundTitle, signerTitle: "Cục trưởng Cục Công nghiệp địa phương", signerName: "Ngô Quang Trung", members });
    await saveBodyDecision({
      roundId,
      actorId: organizerId,
      kind,
      decisionNo,
      decisionDate: "2016-08-01",
      decisionSigner: "Cục trưởng Cục Công nghiệp địa phương Ngô Quang Trung",
      pdf: { bytes: pdf, name: `quyet-dinh-${decisionNo.split("/")[0]}-thanh-lap-${kind === "jury" ? "ban-giam-khao" : "hoi-dong"}.pdf` },
    });
  }
  const seats: string[] = [];
  for (const [i, email] of input.jurorEmails.entries()) {
    await saveSeat({ roundId, actorId: organizerId, email, role: roles[i] });
    seats.push((await findUserByEmail(email))!.id);
  }
  const secretary = seats[6];
  await advanceRound({ roundId, actorId: organizerId, from: "scoring" });
  const present = seats.filter((_, i) => i !== 4); // one member excused
  const session = await openSession({ roundId, actorId: secretary, ...DEMO_2016_SESSION, presentUserIds: present, now: at("2016-09-14T08:30:00") });
  const results = await computeResults({ roundId });
  for (const e of results.entries.filter((x) => x.passed)) {
    const against = (e.mean ?? 0) < 72 ? 1 : 0;
    await recordVote({ sessionId: session.id, actorId: secretary, entryId: e.entryId, yes: present.length - against, no: against, now: at("2016-09-14T10:00:00") });
  }
  const closed = await closeSession({ sessionId: session.id, actorId: secretary, now: at("2016-09-14T11:30:00") });
  if (closed.recommended !== input.expected) throw new Error(`Hội đồng mẫu đề nghị ${closed.recommended} sản phẩm, cần ${input.expected}.`);
  await publishProvisional({ roundId, actorId: organizerId, now: at("2016-09-15T08:00:00") });
  const complainant = await findUserByEmail("co-so-03@demo.cnnt.vn");
  const boundary = results.entries.filter((x) => !x.passed).sort((a, b) => (b.mean ?? 0) - (a.mean ?? 0))[0];
  const complaint = await fileComplaint({
    roundId,
    userId: complainant!.id,
    entryCode: boundary?.code ?? null,
    body: "Đề nghị Hội đồng xem xét lại điểm của sản phẩm: cơ sở đã bổ sung giấy chứng nhận chất lượng sau khi nộp hồ sơ.",
    client: "demo-seed",
    now: at("2016-09-19T14:20:00"),
  });
  await resolveComplaint({
    complaintId: complaint.id,
    actorId: organizerId,
    status: "rejected",
    resolution: "Ban giám khảo chấm theo hồ sơ đã nộp đến hạn 29/7/2016; giấy tờ bổ sung sau hạn không được xét. Điểm trung bình dưới 70 nên không đủ điều kiện đề nghị công nhận.",
    followUp: "none",
    now: at("2016-09-23T09:00:00"),
  });
  const decision = await recordCouncilDecision({
    roundId,
    actorId: organizerId,
    decisionNo: "1208/QĐ-CNĐP",
    decisionDate: "2016-09-26",
    signerTitle: "Cục trưởng Cục Công nghiệp địa phương",
    signerName: "Ngô Quang Trung",
    now: at("2016-09-26T16:00:00"),
  });
  await publishRound({ roundId, actorId: organizerId, now: at("2016-10-07T09:00:00") });
  return decision;
}
