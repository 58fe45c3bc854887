/**
 * What the public may know about a round's process (issue 14): its stage, the provisional list and
 * its complaint window, the council's session (date, attendance), and the complaints without the
 * complainant's identity. Draft rounds are not public.
 */
import { eq } from "drizzle-orm";

import { regions, rounds } from "../../../db/schema";
import { type Database, db } from "../../utils/db.server";
import { processOf } from "../council/process.server";
import { stageOf } from "../council/session-rules";
import { latestClosedSession } from "../council/session.server";
import { listComplaints, provisionalList, windowOpen } from "../results/complaint.server";
import { isPlausibleSlug } from "./rules";

export async function publicRoundInfo(slug: string, tx: Database = db()) {
  if (!isPlausibleSlug(slug)) return null;
  const [row] = await tx
    .select({ round: rounds, regionSlug: regions.slug })
    .from(rounds)
    .leftJoin(regions, eq(regions.code, rounds.regionCode))
    .where(eq(rounds.slug, slug));
  if (!row || row.round.status === "draft") return null;
  const round = row.round;
  const settings = await processOf(round.id, tx);
  const session = await latestClosedSession(round.id, tx);
  const stage = stageOf({ status: round.status, decisionNo: round.decisionNo, provisionalPublishedAt: settings.provisionalPublishedAt });
  return {
    id: round.id,
    slug: round.slug,
    title: round.title,
    level: round.level,
    region: row.regionSlug ?? null,
    province: round.provinceCode ?? null,
    year: round.year,
    authority: round.authority,
    passMark: Number(round.passMark),
    quota: round.quota,
    registrationOpensAt: round.registrationOpensAt,
    registrationClosesAt: round.registrationClosesAt,
    scoringClosesAt: round.scoringClosesAt,
    stage,
    provisional: settings.provisionalPublishedAt
      ? { publishedAt: settings.provisionalPublishedAt, complaintsCloseAt: settings.complaintsCloseAt, complaintDays: settings.complaintDays }
      : null,
    council: session ? { sessionDate: session.heldOn, membersPresent: session.presentUserIds.length, membersTotal: session.membersTotal } : null,
    decision: round.decisionNo && round.status !== "deliberation" ? { number: round.decisionNo, date: round.decisionDate, signer: round.decisionSigner, signerName: round.decisionSignerName } : null,
    publishedAt: round.publishedAt,
    windowOpen: windowOpen(settings),
  };
}

/** The provisional entries while the window is open (null otherwise). */
export async function publicProvisional(roundId: number, tx: Database = db()) {
  const settings = await processOf(roundId, tx);
  if (!windowOpen(settings)) return null;
  return provisionalList(roundId, tx);
}

export async function publicComplaints(roundId: number, tx: Database = db()) {
  return (await listComplaints(roundId, {}, tx)).map((c) => ({
    code: c.code,
    subject: c.subject,
    filedAt: c.filedAt,
    status: c.status,
    resolution:
      c.status === "open"
        ? null
        : { text: c.resolution, followUp: c.followUp, resolvedAt: c.resolvedAt, rescreen: c.rescreen ? { outcome: c.rescreen.outcome, note: c.rescreen.note, decidedAt: c.rescreen.decidedAt } : null },
  }));
}
