/**
 * Scoring factories: a round in a given state with a council, eligible entries, assignments and
 * sheets. Rows are real; rounds, council, assignments and sheets go through the models. Facilities,
 * products and eligible entries are inserted directly (their own models are tested elsewhere).
 */
import crypto from "node:crypto";

import { eq } from "drizzle-orm";

import { saveCouncilMember } from "../../app/models/council/council.server";
import { createRound } from "../../app/models/round/round.server";
import { getRubricLeaves } from "../../app/models/round/rubric.server";
import { autoAssign } from "../../app/models/scoring/assignment.server";
import { saveScoreSheet } from "../../app/models/scoring/scoring.server";
import { roundSchema } from "../../app/schemas/round";
import { db } from "../../app/utils/db.server";
import { entries, facilities, facilityMembers, products, provinces, provinces2025, rounds } from "../../db/schema";
import { createTestUser, type TestUser } from "./index";

export async function createOrganizer() {
  return createTestUser({ roles: ["organizer"], organizerScope: { scopeRegion: "BAC" } });
}

export const ORGANIZER_ROLES = [{ role: "organizer" as const, scopeLevel: null, scopeRegion: "BAC", scopeProvince: null }];

export async function createTestRound(
  options: { actorId: string; slug?: string; quota?: number | null; passMark?: number; scoringClosesAt?: string } = {
    actorId: "",
  },
) {
  const slug = options.slug ?? `dot-thu-${crypto.randomBytes(3).toString("hex")}`;
  const data = roundSchema.parse({
    title: "Bình chọn sản phẩm CNNT tiêu biểu thử nghiệm",
    slug,
    level: "region",
    regionCode: "BAC",
    year: "2026",
    registrationOpensAt: "2026-01-01T08:00",
    registrationClosesAt: "2026-03-01T17:00",
    scoringClosesAt: options.scoringClosesAt ?? "2099-12-31T17:00",
    passMark: String(options.passMark ?? 70),
    quota: options.quota ? String(options.quota) : "",
    authority: "Cục Công nghiệp địa phương – Bộ Công Thương",
  });
  return createRound({ actorId: options.actorId, roles: ORGANIZER_ROLES, data });
}

let seq = 0;
/** A facility (province Ninh Bình) with one product entered in the round as eligible. */
export async function createEligibleEntry(options: {
  roundId: number;
  groupNo?: number;
  memberId?: string;
  status?: "eligible" | "submitted";
  /** The product's name as submitted (and so in the snapshot the public pages read). */
  productName?: string;
}) {
  seq++;
  const [facility] = await db()
    .insert(facilities)
    .values({
      name: `Cơ sở thử ${seq}`,
      legalForm: "hkd",
      registrationNo: `TEST-${crypto.randomBytes(5).toString("hex")}`,
      provinceCode: "ninh-binh",
      legacyProvinceCode: "ninh-binh",
      address: "Xã Ninh Hải",
      representative: "Nguyễn Văn A",
    })
    .returning();
  if (options.memberId)
    await db().insert(facilityMembers).values({ facilityId: facility.id, userId: options.memberId, role: "owner" });
  const groupNo = options.groupNo ?? 1;
  const [p25] = await db().select({ name: provinces2025.name }).from(provinces2025).where(eq(provinces2025.code, facility.provinceCode));
  const [p63] = await db().select({ name: provinces.name }).from(provinces).where(eq(provinces.code, facility.legacyProvinceCode ?? ""));
  const [product] = await db()
    .insert(products)
    .values({ facilityId: facility.id, name: options.productName ?? `Sản phẩm thử ${seq}`, groupNo })
    .returning();
  const [entry] = await db()
    .insert(entries)
    .values({
      roundId: options.roundId,
      productId: product.id,
      facilityId: facility.id,
      groupNo,
      status: options.status ?? "eligible",
      code: `T-${String(seq).padStart(3, "0")}`,
      // The shape submitEntry records (app/schemas/snapshot.ts): product and facility as submitted.
      snapshot: {
        product: { id: product.id, name: product.name, groupNo },
        facility: {
          id: facility.id,
          name: facility.name,
          provinceCode: facility.provinceCode,
          provinceName: p25?.name ?? null,
          legacyProvinceCode: facility.legacyProvinceCode,
          legacyProvinceName: p63?.name ?? null,
          address: facility.address,
        },
        photos: [],
        documents: [],
      },
      submittedAt: new Date(),
    })
    .returning();
  return entry;
}

export async function setRoundStatus(roundId: number, status: "screening" | "scoring" | "deliberation") {
  await db().update(rounds).set({ status }).where(eq(rounds.id, roundId));
}

/** `count` signed-in jurors on the round's council, the first its chair, named "`name` 1", "`name` 2"… */
export async function councilJurors(input: { roundId: number; actorId: string; count: number; name: string }): Promise<TestUser[]> {
  const jurors: TestUser[] = [];
  for (let i = 0; i < input.count; i++) {
    const juror = await createTestUser({ roles: ["juror"], fullName: `${input.name} ${i + 1}` });
    await saveCouncilMember({ roundId: input.roundId, actorId: input.actorId, email: juror.email, role: i === 0 ? "chair" : "member", groupNos: [] });
    jurors.push(juror);
  }
  return jurors;
}

/**
 * A round in scoring: `entryCount` eligible entries across groups, `jurorCount` jurors on the
 * council, every juror assigned to every entry.
 */
export async function scoringRound(options: { entryCount?: number; jurorCount?: number; quota?: number | null; productNames?: string[] } = {}) {
  const organizer = await createOrganizer();
  const round = await createTestRound({ actorId: organizer.id, quota: options.quota ?? null });
  const jurors = await councilJurors({ roundId: round.id, actorId: organizer.id, count: options.jurorCount ?? 3, name: "Giám khảo" });
  const list = [];
  for (let i = 0; i < (options.entryCount ?? 3); i++)
    list.push(await createEligibleEntry({ roundId: round.id, groupNo: (i % 4) + 1, productName: options.productNames?.[i] }));
  await setRoundStatus(round.id, "screening");
  await autoAssign({ roundId: round.id, actorId: organizer.id });
  await setRoundStatus(round.id, "scoring");
  return { organizer, round, jurors, entries: list };
}

/** Points for every leaf adding up to `total` (a multiple of 0.5 between 0 and 100). */
export async function pointsForTotal(roundId: number, total: number) {
  const leaves = await getRubricLeaves(roundId);
  let left = total;
  const points: Record<string, string> = {};
  for (const leaf of leaves) {
    const p = Math.min(leaf.maxPoints, left);
    points[String(leaf.id)] = String(p);
    left -= p;
  }
  if (left > 0) throw new Error("total above 100");
  return points;
}

export async function submitSheet(options: { roundId: number; entryId: number; jurorId: string; total: number }) {
  return saveScoreSheet({
    jurorId: options.jurorId,
    entryId: options.entryId,
    points: await pointsForTotal(options.roundId, options.total),
    submit: true,
  });
}
