/**
 * Hostile input against every action (issue 7): property-based (fast-check) forms with adversarial
 * strings, numbers in disguise, missing, repeated and unknown fields, files where text belongs and
 * unknown intents, then wrong content types and multipart bombs. The caller is always one who IS
 * allowed, so the action's parsing — not its guard — meets the input. Every answer stays below 500,
 * shows no stack trace, and a refusal says why in Vietnamese and leaves every table as it was.
 *
 * The route table below says how to reach each action; a route that exports an action and has no
 * entry fails the first test, so a new action cannot escape. Per action: fast-check forms
 * (HOSTILE_RUNS, default 20), every field once with a value that broke something before, hostile
 * ids and slugs in the address, and malformed bodies (HOSTILE_FULL=1 sends the 10,000-part and
 * 50 MB bodies to every action, not only to the ones listed in HEAVY).
 */
import fs from "node:fs";

import type { ActionFunctionArgs } from "@remix-run/node";
import { eq } from "drizzle-orm";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";

import { issueToken } from "../../app/models/account/account.server";
import { inviteByEmail } from "../../app/models/account/invitation.server";
import { closeSession, openSession, recordVote } from "../../app/models/council/session.server";
import { publishProvisional, requestComplaintByEmail } from "../../app/models/results/complaint.server";
import { nominate, setIntakeMode, setQuota } from "../../app/models/round/nomination.server";
import { defaultRubric, rubricToLines } from "../../app/models/round/rubric-rules";
import { getRubricLeaves } from "../../app/models/round/rubric.server";
import { requestVoterLink } from "../../app/models/vote/ballot.server";
import { savePoll } from "../../app/models/vote/poll.server";
import { createSessionCookie } from "../../app/utils/auth.server";
import { db } from "../../app/utils/db.server";
import { commendationRecipients, nominations, outbox, programmeIndicators, userRoles } from "../../db/schema";
import { createTestUser, TEST_PASSWORD, type TestUser } from "../factories";
import { createOfficer, createTestDecision, csvFile, decisionForm, GOOD_ROWS } from "../factories/commendation";
import { scoredRound } from "../factories/council";
import { addCompleteMedia, COMPLETE_DOSSIER, createTestFacility, createTestProduct, facilityData, fixture } from "../factories/facility";
import { officers, xlsxFile } from "../factories/programme";
import { createPublishedRound } from "../factories/published";
import { createTestRound as createOpenRound } from "../factories/round";
import { createEligibleEntry, createOrganizer, createTestRound, scoringRound, setRoundStatus, submitSheet } from "../factories/scoring";
import { answerProblems, changedTables, fingerprint, type Form, formRequest, malformedBodies, mutate, mutationArb, rawRequest } from "../setup/hostile";

const NUM_RUNS = Number(process.env.HOSTILE_RUNS ?? 20);
/** Values that each broke an action once (NUL in text, integers beyond int4, impossible dates…); every field meets one. */
const PARAM_VALUES = ["99999999999", "9007199254740993", "-1", "0", "1e309", "NaN", "1.5", "abc", "1 OR 1=1", "\u0000", "%00", "../x", "Đ".normalize("NFD"), "x".repeat(2000)];
const SWEEP = ["abc\u0000def", "99999999999", "1e309", "2016-02-30", "-0", "Đậu phụ".normalize("NFD"), "9007199254740993", "<script>alert(1)</script>"];
/**
 * The 10,000-part and 50 MB bodies take seconds each; by default they go to the actions whose
 * parsing differs (uploads, imports, criterion keys, arrays, anonymous). HOSTILE_FULL=1 sends them
 * to every action. The other malformed bodies go to every action always.
 */
const HEAVY = new Set([
  "facility.products.$productId.tsx",
  "ministry.decisions.$id.tsx",
  "organizer.programme._index.tsx",
  "jury.entries.$entryId.tsx",
  "organizer.rounds.$slug.results.tsx",
  "signup.tsx",
]);

type World = Awaited<ReturnType<typeof buildWorld>>;

/** How to reach an action as a caller who may use it, and valid forms to start from. */
interface Reach {
  path: (w: World) => string;
  params?: (w: World) => Record<string, string>;
  /** null = anonymous (sign-in, sign-up). */
  caller: (w: World) => TestUser | null;
  /** One valid form per intent worth exercising. */
  forms: (w: World) => Form[];
  /** Tables a refused request may write: the record of the attempt itself (per form, if it depends on the intent). */
  refusalWrites?: string[] | ((form: Form) => string[]);
  /** Why an intent is left out, if one is. */
  note?: string;
}

const file = (name: string, type: string) => new File([fixture(name)], name, { type });

async function buildWorld() {
  // Accounts.
  const admin = await createTestUser({ roles: ["admin"] });
  const target = await createTestUser({ roles: ["facility"] });
  const [targetRole] = await db().select().from(userRoles).where(eq(userRoles.userId, target.id));
  const account = await createTestUser();
  const member = await createTestUser();
  const registrar = await createTestUser();

  // A facility with a product ready for an open round.
  const owner = await createTestUser();
  const facility = await createTestFacility(owner.id);
  const product = await createTestProduct(owner.id, facility.id);
  const media = await addCompleteMedia(owner.id, facility.id, product.id);
  const openRound = await createOpenRound();

  // Organiser rounds: one per action that changes the round itself.
  const organizer = await createOrganizer();
  const settingsRound = await createTestRound({ actorId: organizer.id });
  const rubricRound = await createTestRound({ actorId: organizer.id });
  const screeningRound = await createTestRound({ actorId: organizer.id });
  const screened = await createEligibleEntry({ roundId: screeningRound.id, status: "submitted" });
  await setRoundStatus(screeningRound.id, "screening");

  const jury = await scoringRound({ entryCount: 2, jurorCount: 2 });
  const juryLeaves = await getRubricLeaves(jury.round.id);

  const council = await scoringRound({ entryCount: 3, jurorCount: 3 });
  await setRoundStatus(council.round.id, "screening");
  const spare = await createTestUser({ roles: ["juror"] });

  const results = await scoringRound({ entryCount: 3, jurorCount: 2 });
  for (const [i, e] of results.entries.entries()) {
    for (const j of results.jurors) await submitSheet({ roundId: results.round.id, entryId: e.id, jurorId: j.id, total: 90 - i * 10 });
  }
  await setRoundStatus(results.round.id, "deliberation");

  // The council (issue 14): a round whose jury has scored, for the secretary's session and the
  // organiser's council page; another whose recommended list is public, for complaints.
  const deliberation = await scoredRound({ means: [85, 80, 60], members: 3 });
  const provisional = await scoredRound({ means: [85, 60], members: 3 });
  const session = await openSession({ roundId: provisional.round.id, actorId: provisional.secretary.id, heldOn: "2026-09-10", place: "Phòng họp tầng 3", presentUserIds: provisional.seats.map((u) => u.id) });
  await recordVote({ sessionId: session.id, actorId: provisional.secretary.id, entryId: provisional.entries[0].id, yes: 3, no: 0 });
  await closeSession({ sessionId: session.id, actorId: provisional.secretary.id });
  await publishProvisional({ roundId: provisional.round.id, actorId: provisional.organizer.id });
  const complainant = await createTestUser();
  // A complaint by e-mail waiting for its link (the link's page confirms it).
  await requestComplaintByEmail({ roundId: provisional.round.id, email: "khieu-nai-email@example.vn", body: "Đề nghị xem lại cách tính điểm trung bình của đợt này.", client: "10.77.0.1" });
  const [linkMail] = await db().select().from(outbox).where(eq(outbox.recipient, "khieu-nai-email@example.vn"));
  const complaintToken = /token=([A-Za-z0-9_-]+)/.exec(linkMail.bodyText)![1];

  // Levels (issue 15): a decided provincial round nominated one product to a regional round.
  const nominee = await createTestUser();
  const nomineeFacility = await createTestFacility(nominee.id, { provinceCode: "ninh-binh", legacyProvinceCode: "ninh-binh" });
  const nomineeProduct = await createTestProduct(nominee.id, nomineeFacility.id);
  await addCompleteMedia(nominee.id, nomineeFacility.id, nomineeProduct.id);
  const orgRegion = await createTestUser({ roles: ["organizer"], organizerScope: { scopeRegion: "BAC" } });
  const orgProvince = await createTestUser({ roles: ["organizer"], organizerScope: { scopeProvince: "ninh-binh" } });
  const lower = await createPublishedRound({ level: "province", provinceCode: "ninh-binh", year: 2026, decisionDate: "2026-08-20", existing: [{ productId: nomineeProduct.id }] });
  const higher = await createOpenRound({ level: "region", regionCode: "BAC" });
  await setIntakeMode({ actorId: orgRegion.id, slug: higher.slug, mode: "nomination" });
  await setQuota({ actorId: orgRegion.id, slug: higher.slug, provinceCode: "ninh-binh", places: 2 });
  await nominate({
    actorId: orgProvince.id,
    fromSlug: lower.round.slug,
    toSlug: higher.slug,
    entryIds: [lower.products[0].entryId],
    letterNo: "1234/UBND-KT",
    letterDate: "2026-09-01",
    signer: "KT. Chủ tịch – Phó Chủ tịch Trần Văn Mẫu",
    pdf: { bytes: fixture("registration.pdf"), name: "cong-van.pdf" },
  });
  const [nomination] = await db().select().from(nominations).where(eq(nominations.productId, nomineeProduct.id));

  // Ministry: a draft decision with recipients.
  const officer = await createOfficer();
  const decision = await createTestDecision({ actorId: officer.id, recipients: 3 });
  const recipients = await db().select().from(commendationRecipients).where(eq(commendationRecipients.decisionId, decision.id));

  // Programme.
  const north = await officers.north();
  const indicators = await db().select().from(programmeIndicators);
  const importFile = await xlsxFile(indicators.slice(0, 2).map((ind) => [ind.code, "ninh-binh", 100, 50]));

  // Mail links and invitations with real tokens (each valid once).
  const unverified = await createTestUser({ verified: false });
  const verifyToken = (await issueToken({ userId: (await createTestUser({ verified: false })).id, purpose: "verify_email" })).token;
  const resetToken = (await issueToken({ userId: (await createTestUser()).id, purpose: "reset_password" })).token;
  const unlockToken = (await issueToken({ userId: (await createTestUser()).id, purpose: "unlock" })).token;
  const listInvite = await inviteByEmail({ actorId: owner.id, email: account.email, target: { kind: "facility", facilityId: facility.id } });
  const linkInvite = await inviteByEmail({ actorId: organizer.id, email: account.email, target: { kind: "council", roundId: settingsRound.id, councilRole: "member" } });

  // The people's-choice vote (issue 19): a round with an open vote and a voter's one-time link.
  const vote = await scoringRound({ entryCount: 2, jurorCount: 1 });
  await savePoll({ actorId: vote.organizer.id, round: vote.round, settings: { opensAt: new Date(Date.now() - 3600_000), closesAt: new Date(Date.now() + 86_400_000), maxTotal: 5, maxPerEntry: 1, maxPerDay: null, showLive: true } });
  await requestVoterLink({ roundId: vote.round.id, slug: vote.round.slug, email: "nguoi-binh-chon@example.vn", ip: "192.0.2.1" });
  const [voteMail] = await db().select().from(outbox).where(eq(outbox.recipient, "nguoi-binh-chon@example.vn"));
  const voterToken = /xac-nhan\/([A-Za-z0-9_-]+)/.exec(voteMail.bodyText)![1];
  // A second link for the /en mirror of the link's page (the Vietnamese row uses the first one).
  await requestVoterLink({ roundId: vote.round.id, slug: vote.round.slug, email: "visitor@example.com", ip: "192.0.2.2" });
  const [voteMailEn] = await db().select().from(outbox).where(eq(outbox.recipient, "visitor@example.com"));
  const voterTokenEn = /xac-nhan\/([A-Za-z0-9_-]+)/.exec(voteMailEn.bodyText)![1];

  return {
    vote, voterToken, voterTokenEn,
    unverified, verifyToken, resetToken, unlockToken, listInvite, linkInvite,
    admin, target, targetRole, account, member, registrar, owner, facility, product, media, openRound,
    organizer, settingsRound, rubricRound, screeningRound, screened, jury, juryLeaves, council, spare,
    results, officer, decision, recipients, north, indicators, importFile,
    deliberation, provisional, complainant, complaintToken, nominee, nomination, orgRegion, higher,
  };
}

const ROUND_FORM = {
  title: "Bình chọn sản phẩm CNNT tiêu biểu thử nghiệm",
  year: "2026",
  registrationOpensAt: "2026-01-01T08:00",
  registrationClosesAt: "2026-03-01T17:00",
  scoringClosesAt: "2099-12-31T17:00",
  passMark: "70",
  quota: "",
  jurorsPerEntry: "3",
  scoreStep: "0.5",
  disagreementSpread: "20",
  authority: "Cục Công nghiệp địa phương – Bộ Công Thương",
};

const TABLE: Record<string, Reach> = {
  "account.tsx": {
    path: () => "/account",
    caller: (w) => w.account,
    forms: () => [{ current: TEST_PASSWORD, password: "mat-khau-moi-2026", confirm: "mat-khau-moi-2026" }, { intent: "phone", phone: "0912 345 678" }],
  },
  "admin.indicators.tsx": {
    path: () => "/admin/indicators",
    caller: (w) => w.admin,
    forms: (w) => [
      { intent: "create", code: "CHI_TIEU_THU", name: "Chỉ tiêu thử nghiệm", unit: "lượt", aggregation: "sum", position: "50", active: "on" },
      { intent: "update", code: w.indicators[0].code, name: "Chỉ tiêu đã sửa", unit: "người", aggregation: "avg", position: "2", active: "on" },
    ],
  },
  "admin.provinces.tsx": {
    path: () => "/admin/provinces",
    caller: (w) => w.admin,
    forms: () => [{ intent: "update", code: "lam-dong", regionCode: "NAM", isCity: "" }],
  },
  "admin.users.tsx": {
    path: () => "/admin/users",
    caller: (w) => w.admin,
    forms: (w) => [
      { intent: "grant", userId: w.target.id, role: "organizer", scopeLevel: "province", scopeRegion: "", scopeProvince: "ninh-binh" },
      { intent: "revoke", confirm: "1", roleId: String(w.targetRole.id) },
    ],
  },
  "facility.$facilityId.tsx": {
    path: (w) => `/facility/${w.facility.id}`,
    params: (w) => ({ facilityId: String(w.facility.id) }),
    caller: (w) => w.owner,
    forms: (w) => [
      { intent: "update", ...(facilityData({ registrationNo: `0${w.facility.id}12345678` }) as Record<string, string>) },
      { intent: "invite", email: "nhan-vien@example.vn" },
      { intent: "createProduct", name: "Nón lá Chuông", groupNo: "4", description: "Nón lá làng Chuông làm thủ công." },
    ],
  },
  "facility.entry.$productId.$slug.tsx": {
    path: (w) => `/facility/entry/${w.product.id}/${w.openRound.slug}`,
    params: (w) => ({ productId: String(w.product.id), slug: w.openRound.slug }),
    caller: (w) => w.owner,
    // “Nộp hồ sơ” saves the typed dossier as a draft first, on purpose: the page re-renders from the
    // saved draft, so a refused submission (documents missing) must not lose what was typed.
    refusalWrites: (form) => (form.intent === "submit" ? ["entries", "products"] : []),
    forms: () => [
      { intent: "save", ...COMPLETE_DOSSIER, lcSerial: "KV-BAC-2016-001", lcIssuer: "UBND tỉnh Hà Nội", lcDecisionNo: "12/QĐ-UBND", lcYear: "2015" },
      { intent: "submit", confirm: "1", ...COMPLETE_DOSSIER, lcSerial: "KV-BAC-2016-001", lcIssuer: "UBND tỉnh Hà Nội", lcDecisionNo: "12/QĐ-UBND", lcYear: "2015" },
      { intent: "withdraw", confirm: "1" },
    ],
  },
  "facility.products.$productId.tsx": {
    path: (w) => `/facility/products/${w.product.id}`,
    params: (w) => ({ productId: String(w.product.id) }),
    caller: (w) => w.owner,
    forms: (w) => [
      { intent: "update", name: "Bộ khay mây tre đan", groupNo: "1", description: "Bộ khay đan thủ công từ mây tự nhiên." },
      { intent: "photos", photos: file("camera-3.jpg", "image/jpeg") },
      { intent: "document", docType: "food_safety", document: file("registration.pdf", "application/pdf") },
      { intent: "delete", confirm: "1", mediaId: w.media.photos[0].id },
    ],
  },
  "facility.register.tsx": {
    path: () => "/facility/register",
    caller: (w) => w.registrar,
    forms: () => [facilityData() as Record<string, string>],
  },
  "jury.entries.$entryId.tsx": {
    path: (w) => `/jury/entries/${w.jury.entries[0].id}`,
    params: (w) => ({ entryId: String(w.jury.entries[0].id) }),
    caller: (w) => w.jury.jurors[0],
    forms: (w) => {
      const points = Object.fromEntries(w.juryLeaves.map((l) => [`p.${l.id}`, String(Math.min(2, l.maxPoints))]));
      return [
        { intent: "save", ...points, [`n.${w.juryLeaves[0].id}`]: "Bao bì đẹp", comment: "Sản phẩm tốt" },
        { intent: "submit", confirm: "1", ...points, comment: "Đã chấm xong" },
        { intent: "conflict", confirm: "1", reason: "Tôi là cố vấn kỹ thuật của cơ sở này" },
      ];
    },
  },
  "login.tsx": {
    path: () => "/login",
    caller: () => null,
    forms: (w) => [{ email: w.member.email, password: TEST_PASSWORD, redirectTo: "/facility" }],
    // A failed sign-in is counted (the per-e-mail lock): that record is the attempt's own.
    refusalWrites: ["login_throttle"],
  },
  "logout.tsx": {
    path: () => "/logout",
    caller: (w) => w.member,
    forms: () => [{}],
  },
  "ministry._index.tsx": {
    path: () => "/ministry",
    caller: (w) => w.officer,
    forms: () => [{ intent: "create", ...(decisionForm() as Record<string, string>) }],
  },
  "ministry.decisions.$id.tsx": {
    path: (w) => `/ministry/decisions/${w.decision.id}`,
    params: (w) => ({ id: String(w.decision.id) }),
    caller: (w) => w.officer,
    note: "“issue” is left out: it starts a background certificate batch whose writes would race the table fingerprints.",
    forms: (w) => [
      { intent: "update", ...(decisionForm() as Record<string, string>) },
      { intent: "add", kind: "individual", name: "Lê Văn Tám", position: "Chuyên viên", organization: "Sở Công Thương tỉnh Hà Nam", provinceCode: "ha-nam", achievement: "Hoàn thành xuất sắc nhiệm vụ" },
      { intent: "remove", recipientId: String(w.recipients[0].id) },
      { intent: "import", file: csvFile(GOOD_ROWS) },
      { intent: "revoke", confirm: "1", recipientId: String(w.recipients[1].id), reason: "Vi phạm quy định" },
      { intent: "batch" },
    ],
  },
  "organizer.programme.$province.tsx": {
    path: () => "/organizer/programme/ninh-binh?year=2017&period=6",
    params: () => ({ province: "ninh-binh" }),
    caller: (w) => w.north,
    forms: (w) => {
      const figures = Object.fromEntries(w.indicators.slice(0, 3).flatMap((ind) => [[`plan.${ind.code}`, "1.250"], [`actual.${ind.code}`, "980,5"]]));
      return [
        { intent: "save", year: "2017", periodMonths: "6", ...figures },
        { intent: "save-submit", year: "2017", periodMonths: "6", ...figures },
        { intent: "submit", year: "2017", periodMonths: "6" },
        { intent: "approve", year: "2017", periodMonths: "6" },
        { intent: "return", year: "2017", periodMonths: "6", comment: "Số liệu chưa khớp với báo cáo quý" },
      ];
    },
  },
  "organizer.programme._index.tsx": {
    path: () => "/organizer/programme",
    caller: (w) => w.north,
    forms: (w) => [
      { intent: "approve", year: "2017", periodMonths: "6", provinceCode: "ninh-binh" },
      { intent: "approve-all", year: "2017", periodMonths: "6" },
      { intent: "import", year: "2017", periodMonths: "9", file: w.importFile },
    ],
  },
  "organizer.rounds.$slug._index.tsx": {
    path: (w) => `/organizer/rounds/${w.settingsRound.slug}`,
    params: (w) => ({ slug: w.settingsRound.slug }),
    caller: (w) => w.organizer,
    forms: () => [{ intent: "update", ...ROUND_FORM }, { intent: "advance", confirm: "1", from: "draft" }],
  },
  "organizer.rounds.$slug.certificates.tsx": {
    path: (w) => `/organizer/rounds/${w.council.round.slug}/certificates`,
    params: (w) => ({ slug: w.council.round.slug }),
    caller: (w) => w.organizer,
    note: "The round is not published: a started batch would render in the background and race the fingerprints.",
    forms: () => [{}],
  },
  "council.$slug.tsx": {
    path: (w) => `/council/${w.deliberation.round.slug}`,
    params: (w) => ({ slug: w.deliberation.round.slug }),
    caller: (w) => w.deliberation.secretary,
    forms: (w) => [{ intent: "open", heldOn: "2026-09-10", place: "Phòng họp tầng 3, trụ sở Cục", present: w.deliberation.seats.map((u) => u.id) }],
  },
  "organizer.rounds.$slug.hoi-dong.tsx": {
    // Before scoring: the council's seats and rules may still change.
    path: (w) => `/organizer/rounds/${w.council.round.slug}/hoi-dong`,
    params: (w) => ({ slug: w.council.round.slug }),
    caller: (w) => w.council.organizer,
    forms: (w) => [
      { intent: "settings", quorumPct: "50", votePct: "50", complaintDays: "10" },
      { intent: "seat", email: w.spare.email, role: "member" },
    ],
  },
  "rounds.$slug_.du-kien.tsx": {
    path: (w) => `/rounds/${w.provisional.round.slug}/du-kien`,
    params: (w) => ({ slug: w.provisional.round.slug }),
    caller: (w) => w.complainant,
    // The complaint limit counts the client's attempts that passed every other check.
    refusalWrites: ["login_throttle"],
    forms: () => [{ about: "process", body: "Đề nghị ban tổ chức xem lại cách tính điểm trung bình của đợt này." }],
  },
  "rounds.$slug_.binh-chon.tsx": {
    path: (w) => `/rounds/${w.vote.round.slug}/binh-chon`,
    params: (w) => ({ slug: w.vote.round.slug }),
    caller: () => null,
    // Link requests count per client and per address before the mail is written.
    refusalWrites: ["login_throttle"],
    forms: () => [{ intent: "link", email: "khach-tham@example.vn" }, { intent: "vote", entryId: "1" }],
  },
  "binh-chon.xac-nhan.$token.tsx": {
    path: (w) => `/binh-chon/xac-nhan/${w.voterToken}`,
    params: (w) => ({ token: w.voterToken }),
    caller: () => null,
    forms: () => [{}],
  },
  "organizer.rounds.$slug.binh-chon.tsx": {
    path: (w) => `/organizer/rounds/${w.vote.round.slug}/binh-chon`,
    params: (w) => ({ slug: w.vote.round.slug }),
    caller: (w) => w.vote.organizer,
    forms: () => [
      { intent: "save", opensAt: "2026-01-01T08:00", closesAt: "2099-12-31T17:00", maxTotal: "5", maxPerEntry: "1", maxPerDay: "", showLive: "1" },
      { intent: "scan" },
      { intent: "flag", flagId: "1", decision: "excluded", reason: "Nhóm phiếu bất thường" },
    ],
  },
  // The English mirror of the vote pages (issue 19): the same actions under /en, refusals in English.
  "en.rounds.$slug_.binh-chon.tsx": {
    path: (w) => `/en/rounds/${w.vote.round.slug}/binh-chon`,
    params: (w) => ({ slug: w.vote.round.slug }),
    caller: () => null,
    refusalWrites: ["login_throttle"],
    forms: () => [{ intent: "link", email: "visitor.en@example.com" }, { intent: "vote", entryId: "1" }],
  },
  "en.binh-chon.xac-nhan.$token.tsx": {
    path: (w) => `/en/binh-chon/xac-nhan/${w.voterTokenEn}`,
    params: (w) => ({ token: w.voterTokenEn }),
    caller: () => null,
    forms: () => [{}],
  },
  // The English mirror of the provisional list (issue 19): the same action under /en.
  "en.rounds.$slug_.du-kien.tsx": {
    path: (w) => `/en/rounds/${w.provisional.round.slug}/du-kien`,
    params: (w) => ({ slug: w.provisional.round.slug }),
    caller: (w) => w.complainant,
    refusalWrites: ["login_throttle"],
    forms: () => [{ about: "process", body: "Đề nghị ban tổ chức xem lại cách tính điểm trung bình của đợt này (trang tiếng Anh)." }],
  },
  "facility.nominations.tsx": {
    path: () => "/facility/nominations",
    caller: (w) => w.nominee,
    forms: (w) => [{ nominationId: String(w.nomination.id) }],
  },
  "organizer.rounds.$slug.nominations.tsx": {
    path: (w) => `/organizer/rounds/${w.higher.slug}/nominations`,
    params: (w) => ({ slug: w.higher.slug }),
    caller: (w) => w.orgRegion,
    forms: () => [
      { intent: "holiday", day: "2026-09-03", name: "Nghỉ lễ Quốc khánh" },
      { intent: "quota", provinceCode: "ninh-binh", places: "3" },
    ],
  },
  "organizer.rounds.$slug.council.tsx": {
    path: (w) => `/organizer/rounds/${w.council.round.slug}/council`,
    params: (w) => ({ slug: w.council.round.slug }),
    caller: (w) => w.council.organizer,
    forms: (w) => [
      { intent: "invite-member", email: w.spare.email, role: "member", groupNos: ["1", "3"], provinceCode: "" },
      { intent: "update-member", userId: w.council.jurors[1].id, role: "member", groupNos: ["1", "3"], provinceCode: "" },
      { intent: "remove-member", confirm: "1", userId: w.council.jurors[2].id },
      { intent: "same-province", enabled: "1" },
      { intent: "auto-assign", k: "2" },
      { intent: "assign", entryId: String(w.council.entries[0].id), jurorId: w.council.jurors[1].id },
      { intent: "unassign", entryId: String(w.council.entries[1].id), jurorId: w.council.jurors[0].id },
    ],
  },
  "organizer.rounds.$slug.results.tsx": {
    path: (w) => `/organizer/rounds/${w.results.round.slug}/results`,
    params: (w) => ({ slug: w.results.round.slug }),
    caller: (w) => w.results.organizer,
    note: "“publish” is left out: it queues certificate rendering in the background.",
    forms: (w) => [
      { intent: "decision", decisionNo: "123/QĐ-CTĐP", decisionDate: "2026-11-20", decisionSigner: "Ngô Quang Trung" },
      { intent: "resolve-tie", confirm: "1", selectedEntryIds: [String(w.results.entries[0].id)], reason: "Hội đồng thống nhất chọn sản phẩm này" },
      { intent: "finalise", confirm: "1" },
      { intent: "reopen", confirm: "1", reason: "Sửa sai sót trong phiếu chấm của giám khảo" },
    ],
  },
  "organizer.rounds.$slug.rubric.tsx": {
    path: (w) => `/organizer/rounds/${w.rubricRound.slug}/rubric`,
    params: (w) => ({ slug: w.rubricRound.slug }),
    caller: (w) => w.organizer,
    forms: () => [
      { intent: "save", lines: rubricToLines(defaultRubric()) },
      { intent: "save", group: "2", lines: rubricToLines(defaultRubric()) },
      { intent: "reset", confirm: "1" },
      { intent: "reset", group: "2", confirm: "1" },
    ],
  },
  "organizer.rounds.$slug.screening.$entryId.tsx": {
    path: (w) => `/organizer/rounds/${w.screeningRound.slug}/screening/${w.screened.id}`,
    params: (w) => ({ slug: w.screeningRound.slug, entryId: String(w.screened.id) }),
    caller: (w) => w.organizer,
    forms: () => [
      { decision: "returned", note: "Thiếu ảnh sản phẩm rõ nét" },
      { decision: "eligible", note: "" },
    ],
  },
  "organizer.rounds.new.tsx": {
    path: () => "/organizer/rounds/new",
    caller: (w) => w.organizer,
    forms: () => [{ ...ROUND_FORM, slug: "2026-thu-nghiem-moi", level: "region", regionCode: "BAC", provinceCode: "" }],
  },
  "verify-email.tsx": { path: () => "/verify-email", caller: () => null, forms: (w) => [{ token: w.verifyToken }] },
  "khieu-nai.xac-nhan.tsx": { path: () => "/khieu-nai/xac-nhan", caller: () => null, forms: (w) => [{ token: w.complaintToken }] },
  "resend-verification.tsx": { path: () => "/resend-verification", caller: (w) => w.unverified, forms: () => [{}] },
  "forgot-password.tsx": { path: () => "/forgot-password", caller: () => null, forms: () => [{ email: "hoa-moi@example.vn" }] },
  "reset-password.tsx": {
    path: () => "/reset-password",
    caller: () => null,
    forms: (w) => [{ token: w.resetToken, password: "mot-mat-khau-dai", confirm: "mot-mat-khau-dai" }],
  },
  "unlock.tsx": { path: () => "/unlock", caller: () => null, forms: (w) => [{ token: w.unlockToken }] },
  "invitations._index.tsx": {
    path: () => "/invitations",
    caller: (w) => w.account,
    forms: (w) => [{ intent: "accept", invitationId: String(w.listInvite.id) }],
  },
  "invitations.$token.tsx": {
    path: (w) => `/invitations/${w.linkInvite.token}`,
    params: (w) => ({ token: w.linkInvite.token }),
    caller: (w) => w.account,
    forms: () => [{}],
  },
  "notifications.tsx": { path: () => "/notifications", caller: (w) => w.account, forms: () => [{ intent: "prefs", email: ["entry_received"] }, { intent: "read" }] },
  "admin.outbox.tsx": {
    path: () => "/admin/outbox",
    caller: (w) => w.admin,
    forms: () => [{ intent: "invite", email: "can-bo@example.vn", role: "organizer", scopeLevel: "", scopeRegion: "", scopeProvince: "" }, { intent: "resend", id: "1" }],
  },
  "signup.tsx": {
    path: () => "/signup",
    caller: () => null,
    forms: () => [{ fullName: "Nguyễn Thị Hoa", email: "hoa-moi@example.vn", password: "mot-mat-khau-dai", confirm: "mot-mat-khau-dai" }],
  },
};

type Action = (args: ActionFunctionArgs) => unknown;
const ROUTE_FILES = fs.readdirSync("app/routes").filter((f) => /\.tsx?$/.test(f));
const actions = new Map<string, Action>();
let world: World;

beforeAll(async () => {
  for (const f of ROUTE_FILES) {
    const mod = (await import(`../../app/routes/${f}`)) as { action?: Action };
    if (mod.action) actions.set(f, mod.action);
  }
  world = await buildWorld();
}, 120_000);

/** Runs the action as Remix would; an exception that is not a Response becomes a 500 with its text. */
async function run(file: string, request: Request, params?: Record<string, string>): Promise<Response> {
  const reach = TABLE[file];
  try {
    const result = await actions.get(file)!({ request, params: params ?? reach.params?.(world) ?? {}, context: { clientIp: "127.0.0.1" } });
    if (result instanceof Response) return result;
    return new Response(JSON.stringify(result ?? null), { headers: { "Content-Type": "application/json" } });
  } catch (error) {
    if (error instanceof Response) return error;
    return new Response(`500 ${error instanceof Error ? error.stack : String(error)}`, { status: 500 });
  }
}

async function cookieFor(reach: Reach): Promise<string | null> {
  const user = reach.caller(world);
  // A fresh session each time: sign-in, sign-out, password and role changes end the previous one.
  return user ? (await createSessionCookie(user.id)).split(";")[0] : null;
}

/** Sends one request and checks every invariant; returns what went wrong (empty = fine). */
async function probe(
  file: string,
  makeRequest: (cookie: string | null) => Request,
  label: string,
  form: Form = {},
  params?: Record<string, string>,
): Promise<string[]> {
  const reach = TABLE[file];
  const allowed = typeof reach.refusalWrites === "function" ? reach.refusalWrites(form) : reach.refusalWrites;
  const request = makeRequest(await cookieFor(reach));
  const before = await fingerprint();
  const response = await run(file, request, params);
  const { problems, body } = await answerProblems(response, { english: /^\/en(\/|$)/.test(new URL(request.url).pathname) });
  if (response.status >= 400 && response.status < 500) {
    const changed = changedTables(before, await fingerprint(), allowed);
    if (changed.length) problems.push(`refused with ${response.status} but wrote to ${changed.join(", ")}`);
  }
  return problems.map((p) => `${file} [${label}] → ${response.status}: ${p}\n    body: ${body.slice(0, 300)}`);
}

const describeForm = (form: Form) =>
  JSON.stringify(form, (_k, v: unknown) => (v instanceof File ? `File(${v.name}, ${v.size} B)` : typeof v === "string" && v.length > 80 ? `${v.slice(0, 40)}…(${v.length})` : v));

describe("findings, each pinned by a request that once answered 500", () => {
  const cases: [string, (w: World) => Form, RegExp][] = [
    // PostgreSQL text cannot hold U+0000: readForm refuses it before anything is stored.
    ["facility.register.tsx", () => ({ ...(facilityData() as Record<string, string>), commune: "abc\u0000def" }), /ký tự rỗng/],
    // An id beyond int4 reached the query (22003): withFormErrors turns the data exception into a 400.
    ["ministry.decisions.$id.tsx", () => ({ intent: "remove", recipientId: "9007199254740993" }), /không hợp lệ/],
    // A quota beyond int4 passed the schema: it now allows at most six digits.
    ["organizer.rounds.new.tsx", () => ({ ...ROUND_FORM, slug: "2026-chi-tieu-qua-lon", level: "region", regionCode: "BAC", quota: "99999999999999999999999" }), /tối đa 999\.999/],
  ];
  for (const [file, form, message] of cases) {
    it(`${file}: ${message.source}`, async () => {
      const reach = TABLE[file];
      const request = formRequest(reach.path(world), await cookieFor(reach), form(world));
      const before = await fingerprint();
      const res = await run(file, request);
      expect(res.status).toBe(400);
      expect(await res.text()).toMatch(message);
      expect(changedTables(before, await fingerprint())).toEqual([]);
    });
  }

  it("a JSON body answers 415 with a Vietnamese message (it was a TypeError: 500)", async () => {
    const reach = TABLE["login.tsx"];
    const res = await run("login.tsx", rawRequest(reach.path(world), null, JSON.stringify({ email: "a@b.vn", password: "x" }), "application/json"));
    expect(res.status).toBe(415);
    expect(await res.text()).toMatch(/phải được gửi từ biểu mẫu/);
  });
});

describe("hostile input", () => {
  it("knows how to reach every route that exports an action", () => {
    const missing = [...actions.keys()].filter((f) => !TABLE[f]);
    const stale = Object.keys(TABLE).filter((f) => !actions.has(f));
    expect(missing, "routes with an action but no entry in TABLE (add one: path, params, caller, valid forms)").toEqual([]);
    expect(stale, "TABLE entries whose route no longer exports an action").toEqual([]);
    expect(actions.size).toBeGreaterThan(15);
  });

  it("the baseline forms are valid: each route accepts at least one as given", async () => {
    // Guards against a table that only ever sends refused forms (then validation is never passed).
    const refusedAll: string[] = [];
    for (const file of Object.keys(TABLE)) {
      if (!actions.has(file)) continue;
      const reach = TABLE[file];
      if (file === "organizer.rounds.$slug.certificates.tsx") continue; // refused by design, see its note
      const statuses: number[] = [];
      for (const form of reach.forms(world)) {
        if (["submit", "withdraw", "reopen", "conflict", "revoke", "remove", "remove-member", "advance", "delete", "batch"].includes(String(form.intent))) continue;
        const res = await run(file, formRequest(reach.path(world), await cookieFor(reach), form));
        statuses.push(res.status);
        if (res.status >= 500) refusedAll.push(`${file}: ${await res.text()}`);
      }
      if (statuses.length && statuses.every((s) => s >= 400)) refusedAll.push(`${file}: every baseline refused (${statuses.join(", ")})`);
    }
    expect(refusedAll).toEqual([]);
  }, 120_000);

  for (const file of Object.keys(TABLE)) {
    it(`${file}: random and adversarial forms`, async () => {
      if (!actions.has(file)) return; // the manifest test reports it
      const reach = TABLE[file];
      const forms = reach.forms(world);
      const failures: string[] = [];
      const outcome = await fc
        .assert(
          fc.asyncProperty(mutationArb(forms.length), async (m) => {
            const form = mutate(forms, m);
            const problems = await probe(file, (cookie) => formRequest(reach.path(world), cookie, form, m.encoding), `${m.encoding} ${describeForm(form)}`, form);
            failures.push(...problems);
            return problems.length === 0;
          }),
          { numRuns: NUM_RUNS, endOnFailure: true },
        )
        .then(
          () => null,
          (error: unknown) => error,
        );
      // The problems found read best as a list; a property that threw (found none to list) still fails.
      expect(failures).toEqual([]);
      if (outcome) throw outcome;
    }, 120_000);

    it(`${file}: every field once with a value that breaks naive parsing`, async () => {
      if (!actions.has(file)) return;
      const reach = TABLE[file];
      const failures: string[] = [];
      let k = 0;
      for (const form of reach.forms(world)) {
        for (const key of Object.keys(form)) {
          const value = SWEEP[k++ % SWEEP.length];
          const sent = { ...form, [key]: value };
          failures.push(...(await probe(file, (cookie) => formRequest(reach.path(world), cookie, sent), `${key}=${JSON.stringify(value).slice(0, 30)}`, sent)));
        }
      }
      expect(failures).toEqual([]);
    }, 120_000);

    it(`${file}: hostile values in the address (ids and slugs)`, async () => {
      const reach = TABLE[file];
      if (!actions.has(file) || !reach.params) return;
      const failures: string[] = [];
      const form = reach.forms(world)[0];
      for (const key of Object.keys(reach.params(world))) {
        for (const value of PARAM_VALUES) {
          const params = { ...reach.params(world), [key]: value };
          failures.push(...(await probe(file, (cookie) => formRequest(reach.path(world), cookie, form), `params.${key}=${JSON.stringify(value)}`, form, params)));
        }
      }
      expect(failures).toEqual([]);
    }, 120_000);

    it(`${file}: wrong content types, broken multiparts and bombs`, async () => {
      if (!actions.has(file)) return;
      const reach = TABLE[file];
      const failures: string[] = [];
      for (const bad of malformedBodies(reach.forms(world)[0])) {
        if (bad.heavy && !HEAVY.has(file) && !process.env.HOSTILE_FULL) continue;
        failures.push(...(await probe(file, (cookie) => rawRequest(reach.path(world), cookie, bad.body, bad.contentType), bad.name)));
      }
      expect(failures).toEqual([]);
    }, 120_000);
  }
});
