/**
 * The fixture world of the authorization matrix: every kind of caller and one row of every kind of
 * data they might reach for, built through the model functions (as the app builds them) so the
 * guards see real memberships, scopes, assignments and conflicts.
 *
 * - Facility A (owner A, Hà Nội) and facility B (owner B, Hà Nội), each with products, photos and a
 *   business registration document.
 * - Round "registration" (region BAC, open now): A's draft entry, B's submitted entry.
 * - Round "scoring" (region BAC): A's and B's entries eligible; council of three jurors. The
 *   assigned juror is assigned to A's entry (a draft sheet) and to B's; the other juror only to B's
 *   (a submitted sheet with a comment nobody else may read); the conflicted juror declared a
 *   conflict with A's entry. A fourth juror from Hà Nội submitted on B's entry before the
 *   same-province rule put them in conflict.
 * - Round "published" (region BAC, through tests/factories/published.ts, which inserts directly):
 *   A's product selected with a product certificate, plus sample products of other facilities.
 * - Round "south" (region NAM, registration): the other organiser's scope.
 * - Commendation decisions: one draft, one issued (merit certificates and a finished PDF batch
 *   job), each with recipients.
 * - Programme figures of Hà Nội for 2016, 9 months.
 */
import { and, eq } from "drizzle-orm";

import { declareConflict, saveCouncilMember, setSameProvinceRule } from "../../app/models/council/council.server";
import { saveEntryDraft, screenEntry, submitEntry } from "../../app/models/entry/entry.server";
import { storeDocument } from "../../app/models/entry/media.server";
import { loadActor, saveFigures } from "../../app/models/programme/programme.server";
import { advanceRound, createRound } from "../../app/models/round/round.server";
import { assignJuror } from "../../app/models/scoring/assignment.server";
import { saveScoreSheet } from "../../app/models/scoring/scoring.server";
import { startCertificateBatch, jobSettled } from "../../app/models/shared/jobs.server";
import { roundSchema } from "../../app/schemas/round";
import { db } from "../../app/utils/db.server";
import { certificates, commendationRecipients, scoreSheets } from "../../db/schema";
import { createTestDecision, createOfficer } from "../factories/commendation";
import { addCompleteMedia, createTestFacility, createTestProduct, fixture } from "../factories/facility";
import { createTestUser, type TestUser } from "../factories/index";
import { SAMPLE_PRODUCTS, createPublishedRound } from "../factories/published";
import { pointsForTotal } from "../factories/scoring";

export const CALLERS = [
  "anon",
  "ownerA",
  "ownerB",
  "jurorAssigned",
  "jurorOther",
  "jurorConflict",
  "orgBac",
  "orgNam",
  "ministry",
  "admin",
] as const;
export type Caller = (typeof CALLERS)[number];

const DAY = 24 * 60 * 60 * 1000;
/** "YYYY-MM-DDTHH:mm" in Vietnam time, as the round form sends it. */
const vnLocal = (d: Date) => new Date(d.getTime() + 7 * 60 * 60 * 1000).toISOString().slice(0, 16);

/** The comment of the other juror's submitted sheet: nobody else's page may show it. */
export const SECRET_COMMENT = "Nhận xét riêng của giám khảo khác: bao bì chưa đạt";

const LOWER_CERTIFICATE = { serial: "HN-2015-0012", issuer: "UBND thành phố Hà Nội", year: "2015", decisionNo: "12/QĐ-UBND" };

export type World = Awaited<ReturnType<typeof buildWorld>>;

export async function buildWorld() {
  const users = {
    ownerA: await createTestUser({ roles: ["facility"], fullName: "Chủ cơ sở A" }),
    ownerB: await createTestUser({ roles: ["facility"], fullName: "Chủ cơ sở B" }),
    jurorAssigned: await createTestUser({ roles: ["juror"], fullName: "Giám khảo được phân công" }),
    jurorOther: await createTestUser({ roles: ["juror"], fullName: "Giám khảo không được phân công" }),
    jurorConflict: await createTestUser({ roles: ["juror"], fullName: "Giám khảo xung đột" }),
    orgBac: await createTestUser({
      roles: ["organizer"],
      organizerScope: { scopeRegion: "BAC" },
      fullName: "Ban tổ chức phía Bắc",
    }),
    orgNam: await createTestUser({
      roles: ["organizer"],
      organizerScope: { scopeRegion: "NAM" },
      fullName: "Ban tổ chức phía Nam",
    }),
    ministry: await createOfficer(),
    admin: await createTestUser({ roles: ["admin"], fullName: "Quản trị" }),
  } satisfies Record<Exclude<Caller, "anon">, TestUser>;
  const cookies: Record<Caller, { cookie: string } | null> = { anon: null, ...users };

  // ── facilities, products, media ──
  const facilityA = await createTestFacility(users.ownerA.id, { name: "Hợp tác xã A" });
  const facilityB = await createTestFacility(users.ownerB.id, { name: "Hợp tác xã B" });
  const product = async (owner: TestUser, facilityId: number, name: string) => {
    const { id } = await createTestProduct(owner.id, facilityId, { name });
    const media = await addCompleteMedia(owner.id, facilityId, id);
    await storeDocument({
      actorId: owner.id,
      facilityId,
      productId: id,
      bytes: fixture("registration.pdf"),
      fileName: "gcn-cap-tinh.pdf",
      docType: "earlier_certificate",
    });
    return { id, photoIds: media.photos.map((p) => p.id), docId: media.doc.id };
  };
  const productA1 = await product(users.ownerA, facilityA.id, "Sản phẩm A1 (nháp)");
  const productA2 = await product(users.ownerA, facilityA.id, "Sản phẩm A2 (đang chấm)");
  const { id: productA3 } = await createTestProduct(users.ownerA.id, facilityA.id, { name: "Sản phẩm A3 (đã công nhận)" });
  const productB1 = await product(users.ownerB, facilityB.id, "Sản phẩm B1 (đã nộp)");
  const productB2 = await product(users.ownerB, facilityB.id, "Sản phẩm B2 (đang chấm)");

  // ── rounds ──
  const now = Date.now();
  const roundData = (slug: string, regionCode: string) =>
    roundSchema.parse({
      title: `Bình chọn sản phẩm CNNT tiêu biểu (${slug})`,
      slug,
      level: "region",
      regionCode,
      year: "2026",
      registrationOpensAt: vnLocal(new Date(now - 10 * DAY)),
      registrationClosesAt: vnLocal(new Date(now + 20 * DAY)),
      scoringClosesAt: vnLocal(new Date(now + 40 * DAY)),
      passMark: "70",
      quota: "",
      authority: "Cục Công Thương địa phương",
    });
  const bacRoles = [{ role: "organizer" as const, scopeLevel: null, scopeRegion: "BAC", scopeProvince: null }];
  const namRoles = [{ role: "organizer" as const, scopeLevel: null, scopeRegion: "NAM", scopeProvince: null }];
  const openRound = async (slug: string, regionCode: string, roles: typeof bacRoles, actorId: string) => {
    const round = await createRound({ actorId, roles, data: roundData(slug, regionCode) });
    await advanceRound({ roundId: round.id, actorId, from: "draft" });
    return round;
  };
  const enter = async (actorId: string, roundId: number, productId: number, submit: boolean) => {
    const { id } = await saveEntryDraft({ actorId, roundId, productId, lowerCertificate: LOWER_CERTIFICATE });
    if (submit) await submitEntry({ actorId, entryId: id });
    return id;
  };

  const registration = await openRound("dang-ky-bac", "BAC", bacRoles, users.orgBac.id);
  const draftEntryA = await enter(users.ownerA.id, registration.id, productA1.id, false);
  const submittedEntryB = await enter(users.ownerB.id, registration.id, productB1.id, true);

  const south = await openRound("dang-ky-nam", "NAM", namRoles, users.orgNam.id);

  const scoring = await openRound("dang-cham-bac", "BAC", bacRoles, users.orgBac.id);
  const scoringEntryA = await enter(users.ownerA.id, scoring.id, productA2.id, true);
  const scoringEntryB = await enter(users.ownerB.id, scoring.id, productB2.id, true);
  await advanceRound({ roundId: scoring.id, actorId: users.orgBac.id, from: "registration" });
  for (const entryId of [scoringEntryA, scoringEntryB])
    await screenEntry({ actorId: users.orgBac.id, entryId, decision: "eligible" });
  for (const [i, juror] of [users.jurorAssigned, users.jurorOther, users.jurorConflict].entries()) {
    await saveCouncilMember({
      roundId: scoring.id,
      actorId: users.orgBac.id,
      email: juror.email,
      role: i === 0 ? "chair" : "member",
      groupNos: [],
    });
  }
  // A juror declares on an entry assigned to them (issue 13: never on another's).
  await assignJuror({ roundId: scoring.id, actorId: users.orgBac.id, entryId: scoringEntryA, jurorId: users.jurorConflict.id });
  await declareConflict({ jurorId: users.jurorConflict.id, entryId: scoringEntryA, reason: "Là người thân của chủ cơ sở A" });
  await assignJuror({ roundId: scoring.id, actorId: users.orgBac.id, entryId: scoringEntryA, jurorId: users.jurorAssigned.id });
  await assignJuror({ roundId: scoring.id, actorId: users.orgBac.id, entryId: scoringEntryB, jurorId: users.jurorOther.id });
  await assignJuror({ roundId: scoring.id, actorId: users.orgBac.id, entryId: scoringEntryB, jurorId: users.jurorAssigned.id });
  await advanceRound({ roundId: scoring.id, actorId: users.orgBac.id, from: "screening" });
  await saveScoreSheet({
    jurorId: users.jurorAssigned.id,
    entryId: scoringEntryA,
    points: await pointsForTotal(scoring.id, 80),
    submit: false,
  });
  await saveScoreSheet({
    jurorId: users.jurorOther.id,
    entryId: scoringEntryB,
    points: await pointsForTotal(scoring.id, 75),
    comment: SECRET_COMMENT,
    submit: true,
  });
  // A juror from Hà Nội who scored B's entry before the same-province rule was switched on: the
  // automatic conflict keeps their submitted sheet (and assignment) on record, but the entry and its
  // files are no longer theirs to see.
  const jurorLate = await createTestUser({ roles: ["juror"], fullName: "Giám khảo cùng tỉnh" });
  await saveCouncilMember({
    roundId: scoring.id,
    actorId: users.orgBac.id,
    email: jurorLate.email,
    role: "member",
    groupNos: [],
    provinceCode: "ha-noi",
  });
  await assignJuror({ roundId: scoring.id, actorId: users.orgBac.id, entryId: scoringEntryB, jurorId: jurorLate.id });
  await saveScoreSheet({
    jurorId: jurorLate.id,
    entryId: scoringEntryB,
    points: await pointsForTotal(scoring.id, 70),
    submit: true,
  });
  await setSameProvinceRule({ roundId: scoring.id, actorId: users.orgBac.id, enabled: true });
  const [sheetA] = await db()
    .select()
    .from(scoreSheets)
    .where(and(eq(scoreSheets.entryId, scoringEntryA), eq(scoreSheets.jurorId, users.jurorAssigned.id)));

  const published = await createPublishedRound({
    slug: "2016-cong-bo-bac",
    products: SAMPLE_PRODUCTS.slice(0, 3),
    existing: [{ productId: productA3, meanScore: 86 }],
  });
  const certificateA = published.products.find((p) => p.productId === productA3)!.certificate!;
  const otherWinner = published.products[0];

  // ── commendations ──
  const draftDecision = await createTestDecision({ actorId: users.ministry.id });
  const issuedDecision = await createTestDecision({ actorId: users.ministry.id, issue: true });
  const [issuedRecipient] = await db()
    .select()
    .from(commendationRecipients)
    .where(eq(commendationRecipients.decisionId, issuedDecision.id))
    .limit(1);
  const [meritCertificate] = await db().select().from(certificates).where(eq(certificates.kind, "merit"));
  const { job } = await startCertificateBatch({
    target: { type: "decision", id: issuedDecision.id },
    actorId: users.ministry.id,
  });
  await jobSettled(job.id);

  // ── programme figures (Hà Nội, 2016, 9 months) ──
  await saveFigures({
    actor: await loadActor(users.orgBac.id),
    year: 2016,
    periodMonths: 9,
    rows: [{ indicatorCode: "DAO_TAO_NGHE", provinceCode: "ha-noi", plan: 100, actual: 80 }],
  });

  return {
    users,
    cookies,
    facilityA: facilityA.id,
    facilityB: facilityB.id,
    products: { A1: productA1, A2: productA2, A3: productA3, B1: productB1, B2: productB2 },
    rounds: { registration, south, scoring, published: published.round },
    entries: { draftA: draftEntryA, submittedB: submittedEntryB, scoringA: scoringEntryA, scoringB: scoringEntryB },
    sheetA,
    jurorLate,
    certificateA,
    otherWinner,
    decisions: { draft: draftDecision.id, issued: issuedDecision.id, issuedRecipient: issuedRecipient.id },
    meritCertificate,
    jobId: job.id,
    /** A complete score form for the scoring round (`p.<criterion id>` → points, 80 in all). */
    scoreForm: Object.fromEntries(Object.entries(await pointsForTotal(scoring.id, 80)).map(([id, p]) => [`p.${id}`, p])),
  };
}
