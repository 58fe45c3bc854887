/**
 * Demo: a provincial round of this year, already published — Thái Nguyên 2026 — so the public site
 * has product certificates that are still valid ("còn hiệu lực") beside the 2016 ones that expired
 * long ago. Built through the model functions, from the 2016 demo's facilities in Thái Nguyên and
 * Bắc Kạn (both Thái Nguyên since 1 July 2025). Scored by juror5–7, who do not sit on the Ninh Bình
 * round the browser tests score.
 */
import { and, eq, isNull } from "drizzle-orm";

import { saveCouncilMember } from "../../app/models/council/council.server";
import { saveEntryDraft, screenEntry, submitEntry } from "../../app/models/entry/entry.server";
import { createProduct } from "../../app/models/facility/product.server";
import { finaliseRound, publishRound, recordDecision } from "../../app/models/results/results.server";
import { advanceRound, createRound } from "../../app/models/round/round.server";
import { getRubricLeaves } from "../../app/models/round/rubric.server";
import { autoAssign } from "../../app/models/scoring/assignment.server";
import { saveScoreSheet } from "../../app/models/scoring/scoring.server";
import { roundSchema } from "../../app/schemas/round";
import { db } from "../../app/utils/db.server";
import { assignments, facilities, facilityMembers, media, rounds } from "../../db/schema";
import type { DemoStep } from "./demo";
import { at, attachDemoDocuments, attachDemoPhotos, dossierFor, organizerContext, rng, spreadOverLeaves } from "./demo-rounds";

export const DEMO_PUBLISHED_2026_SLUG = "2026-tinh-thai-nguyen";

const PRODUCTS = [
  { name: "Chè búp Tân Cương đặc biệt", group: 2, mean: 88 },
  { name: "Miến dong Côn Minh", group: 2, mean: 84.5 },
  { name: "Bộ ấm chén gốm men lam", group: 1, mean: 79 },
  { name: "Máy sao chè tôn quay cải tiến", group: 3, mean: 74.5 },
  { name: "Mật ong hoa rừng Ba Bể", group: 2, mean: 66 },
];

export const published2026Demo: DemoStep = {
  name: "đợt cấp tỉnh Thái Nguyên 2026 đã công bố",
  done: async () => !!(await db().select({ id: rounds.id }).from(rounds).where(eq(rounds.slug, DEMO_PUBLISHED_2026_SLUG)))[0],
  async run() {
    const organizer = await organizerContext();
    const round = await createRound({
      actorId: organizer.id,
      roles: organizer.roles,
      data: roundSchema.parse({
        title: "Bình chọn sản phẩm CNNT tiêu biểu tỉnh Thái Nguyên năm 2026",
        slug: DEMO_PUBLISHED_2026_SLUG,
        level: "province",
        provinceCode: "thai-nguyen",
        year: "2026",
        registrationOpensAt: "2026-03-02T08:00",
        registrationClosesAt: "2026-05-29T17:00",
        scoringClosesAt: "2026-07-31T17:00",
        passMark: "70",
        quota: "",
        jurorsPerEntry: "",
        authority: "Ủy ban nhân dân tỉnh Thái Nguyên",
      }),
    });
    await advanceRound({ roundId: round.id, actorId: organizer.id, from: "draft" });

    const owners = await db()
      .select({ facilityId: facilities.id, facilityName: facilities.name, ownerId: facilityMembers.userId })
      .from(facilities)
      .innerJoin(facilityMembers, and(eq(facilityMembers.facilityId, facilities.id), eq(facilityMembers.role, "owner")))
      .where(eq(facilities.provinceCode, "thai-nguyen"))
      .orderBy(facilities.id)
      .limit(PRODUCTS.length);
    if (owners.length === 0) throw new Error("Chưa có cơ sở mẫu ở Thái Nguyên (bước đợt 2016 chưa chạy).");
    const photos = await db().select({ id: media.id }).from(media).where(and(eq(media.kind, "photo"), isNull(media.deletedAt))).limit(6);
    const submittedOn = at("2026-05-20T10:00:00");
    const r = rng(2026);
    const entryIds: number[] = [];
    for (const [i, p] of PRODUCTS.entries()) {
      const { facilityId, facilityName, ownerId } = owners[i % owners.length];
      const { id: productId } = await createProduct({
        actorId: ownerId,
        facilityId,
        name: p.name,
        groupNo: p.group,
        description: `${p.name} của ${facilityName}.`,
        dossier: dossierFor(p.name, p.group, r),
      });
      await attachDemoPhotos({ actorId: ownerId, facilityId, productId, sources: photos.map((p) => p.id), offset: i });
      await attachDemoDocuments({ actorId: ownerId, facilityId, productId, earlier: "chung nhan cap xa 2025" });
      const { id: entryId } = await saveEntryDraft({
        actorId: ownerId,
        roundId: round.id,
        productId,
        lowerCertificate: { serial: `X-TN-2025-${String(i + 1).padStart(3, "0")}`, issuer: "UBND xã", decisionNo: `${41 + i}/QĐ-UBND`, year: "2025" },
        now: submittedOn,
      });
      await submitEntry({ actorId: ownerId, entryId, now: submittedOn });
      entryIds.push(entryId);
    }
    await advanceRound({ roundId: round.id, actorId: organizer.id, from: "registration" });
    for (const id of entryIds) await screenEntry({ actorId: organizer.id, entryId: id, decision: "eligible", now: at("2026-06-05T09:00:00") });
    for (const [i, email] of ["juror5@demo.cnnt.vn", "juror6@demo.cnnt.vn", "juror7@demo.cnnt.vn"].entries()) {
      await saveCouncilMember({ roundId: round.id, actorId: organizer.id, email, role: i === 0 ? "chair" : "member", groupNos: [] });
    }
    await autoAssign({ roundId: round.id, actorId: organizer.id });
    await advanceRound({ roundId: round.id, actorId: organizer.id, from: "screening" });

    const leaves = await getRubricLeaves(round.id);
    const links = await db().select().from(assignments).where(eq(assignments.roundId, round.id));
    for (const [i, entryId] of entryIds.entries()) {
      const judges = links.filter((a) => a.entryId === entryId).map((a) => a.jurorId).sort();
      const offsets = [1.5, -1.5, 0];
      for (const [k, jurorId] of judges.entries()) {
        await saveScoreSheet({
          jurorId,
          entryId,
          points: spreadOverLeaves(PRODUCTS[i].mean + (offsets[k] ?? 0), leaves),
          comment: "",
          submit: true,
          now: at("2026-07-10T15:00:00"),
        });
      }
    }
    await finaliseRound({ roundId: round.id, actorId: organizer.id, now: at("2026-07-20T16:00:00") });
    await recordDecision({
      roundId: round.id,
      actorId: organizer.id,
      decisionNo: "1532/QĐ-UBND",
      decisionDate: "2026-08-14",
      decisionSigner: "Phó Chủ tịch UBND tỉnh Thái Nguyên",
    });
    await publishRound({ roundId: round.id, actorId: organizer.id, now: at("2026-08-20T09:00:00") });
  },
};
