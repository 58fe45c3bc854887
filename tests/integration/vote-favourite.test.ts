/**
 * The people's-choice award's certificate (issue 19, "an optional certificate through the existing
 * certificate machinery"): the organiser of a round whose vote is frozen issues, by a button, a
 * "GIẤY CHỨNG NHẬN — Sản phẩm được công chúng yêu thích" to each most-voted product (ties: each).
 * Refused before freezing, for a product that is not a winner, twice, and for anyone but the round's
 * organiser; the database refuses it by direct SQL as the app's role too. Verified, listed and revoked
 * like every certificate; the recognition certificate of the same product is untouched.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";

import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { vnLocalInput } from "../../app/components/RoundForm";
import { revokeCertificate } from "../../app/models/certificate/certificate.server";
import { issueFavouriteCertificate } from "../../app/models/certificate/favourite.server";
import { certificatePdfForDownload, certificatePreviewPng, ensureCertificatePdf } from "../../app/models/certificate/pdf.server";
import { targetCertificateIds } from "../../app/models/shared/jobs.server";
import { bulkInsertVotes } from "../../app/models/vote/bulk.server";
import * as certApi from "../../app/routes/api.v1.certificates.$code";
import * as votesApi from "../../app/routes/api.v1.rounds.$slug.votes";
import * as winnersApi from "../../app/routes/api.v1.rounds.$slug.winners";
import * as byCode from "../../app/routes/certificates.by-code.$file";
import * as organizerPage from "../../app/routes/organizer.rounds.$slug.binh-chon";
import * as votePage from "../../app/routes/rounds.$slug_.binh-chon";
import * as verifyPage from "../../app/routes/verify.$code";
import { db, pgErrorCode, rowsOf, ruleViolation } from "../../app/utils/db.server";
import { auditEvents, certificates, facilityMembers, notifications, serialCounters, votePolls } from "../../db/schema";
import { createApp, loadBuild } from "../../server";
import { call as callFrom127, createTestUser, jsonOf, requestAs, toastOf, type TestUser } from "../factories/index";
import { createPublishedRound } from "../factories/published";
import { createOrganizer } from "../factories/scoring";

let clients = 0;
/** Each request from its own client address (the verification throttle counts per client). */
async function call(handler: unknown, request: Request, params: Record<string, string> = {}): Promise<Response> {
  const ip = `10.7.${Math.floor(++clients / 250)}.${clients % 250}`;
  const wrapped = (args: { request: Request; params: Record<string, string>; context: unknown }) =>
    (handler as (a: unknown) => unknown)({ ...args, context: { clientIp: ip } });
  return callFrom127(wrapped as never, request, params);
}

const PRODUCTS = [
  { name: "Chè búp Tân Cương đặc biệt", facility: "HTX Chè Tân Cương", province: "Thái Nguyên", meanScore: 88 },
  { name: "Miến dong Việt Cường", facility: "Hộ kinh doanh Miến Việt Cường", province: "Thái Nguyên", meanScore: 84 },
  { name: "Bánh chưng Bờ Đậu", facility: "Cơ sở bánh chưng Bờ Đậu", province: "Thái Nguyên", meanScore: 79 },
  { name: "Mật ong hoa rừng Ba Bể", facility: "HTX Ong mật Ba Bể", province: "Bắc Kạn", meanScore: 75 },
];

type Round = Awaited<ReturnType<typeof createPublishedRound>>;

let organizer: TestUser;
let owner: TestUser;
let round: Round;
let org: string;
const p = () => ({ slug: round.round.slug });
const act = (user: TestUser | null, form: Record<string, string>) =>
  call(organizerPage.action, requestAs(user, org, { form }), p());
const issue = (user: TestUser | null, entryId: number) => act(user, { intent: "favourite", entryId: String(entryId) });
const favourites = (roundId: number) =>
  db()
    .select()
    .from(certificates)
    .where(and(eq(certificates.roundId, roundId), eq(certificates.kind, "favourite")));

/** A vote over a published round's products: `counts[i]` votes for product i, spread over days and networks. */
async function pollWithVotes(r: Round, counts: number[]) {
  const now = Date.now();
  const path = `/organizer/rounds/${r.round.slug}/binh-chon`;
  await toastOf(
    await call(
      organizerPage.action,
      requestAs(organizer, path, {
        form: {
          intent: "save",
          opensAt: vnLocalInput(new Date(now - 3 * 86_400_000)),
          closesAt: vnLocalInput(new Date(now + 86_400_000)),
          maxTotal: "5",
          maxPerEntry: "1",
          maxPerDay: "",
          showLive: "1",
        },
      }),
      { slug: r.round.slug },
    ),
  );
  let n = 0;
  await bulkInsertVotes({
    roundId: r.round.id,
    votes: counts.flatMap((count, i) =>
      Array.from({ length: count }, () => {
        n++;
        return {
          email: `nguoi-${r.round.id}-${n}@example.vn`,
          entryId: r.products[i].entryId,
          castAt: new Date(now - 2 * 86_400_000 + n * 1_800_000),
          ip: `198.${n}.${i}.7`,
          verifiedAt: new Date(now - 5 * 86_400_000),
        };
      }),
    ),
  });
}

beforeAll(async () => {
  organizer = await createOrganizer();
  round = await createPublishedRound({ year: 2026, decisionDate: "2026-08-14", products: PRODUCTS });
  org = `/organizer/rounds/${round.round.slug}/binh-chon`;
  owner = await createTestUser({ roles: ["facility"] });
  await db().insert(facilityMembers).values({ facilityId: round.products[0].facilityId, userId: owner.id, role: "owner" });
  // Two products tie at the top (7 votes each), one has 3, one none.
  await pollWithVotes(round, [7, 7, 3, 0]);
}, 120_000);

describe("the award's certificate: who, when, to whom, once", () => {
  it("is refused while the vote is open and after the close until the counts are frozen; nothing is written", async () => {
    const open = await issue(organizer, round.products[0].entryId);
    expect(open.status).toBe(409);
    expect((await jsonOf(open)).formError).toBe(
      "Chỉ cấp giấy chứng nhận “Sản phẩm được công chúng yêu thích” sau khi kết quả bình chọn đã được chốt.",
    );
    await toastOf(await act(organizer, { intent: "close" }));
    const closed = await issue(organizer, round.products[0].entryId);
    expect((await jsonOf(closed)).formError).toMatch(/sau khi kết quả bình chọn đã được chốt/);
    // The page offers no button before freezing.
    expect((await jsonOf(await call(organizerPage.loader, requestAs(organizer, org), p()))).award).toBeNull();
    expect(await favourites(round.round.id)).toHaveLength(0);

    const frozen = await toastOf(await act(organizer, { intent: "freeze" }));
    expect(frozen.message).toMatch(/Đã chốt kết quả/);
    const page = await jsonOf(await call(organizerPage.loader, requestAs(organizer, org), p()));
    expect(page.award.map((w: { votes: number; certificate: unknown }) => [w.votes, w.certificate])).toEqual([
      [7, null],
      [7, null],
    ]);
    expect(page.award.map((w: { entryId: number }) => w.entryId).sort()).toEqual(
      [round.products[0].entryId, round.products[1].entryId].sort(),
    );
  });

  it("is refused for anyone but the round's organiser: a visitor, a facility, a juror, a ministry officer, another region's organiser", async () => {
    const entryId = round.products[0].entryId;
    const visitor = await issue(null, entryId);
    expect([302, 401, 403]).toContain(visitor.status);
    for (const roles of [["facility"], ["juror"], ["ministry"]] as const) {
      const res = await issue(await createTestUser({ roles: [...roles] }), entryId);
      expect(res.status, roles[0]).toBe(403);
    }
    const south = await createTestUser({ roles: ["organizer"], organizerScope: { scopeRegion: "NAM" } });
    expect((await issue(south, entryId)).status).toBe(404);
    expect(await favourites(round.round.id)).toHaveLength(0);
  });

  it("is refused for a product that is not a most-voted one, or not in the vote", async () => {
    for (const product of [round.products[2], round.products[3]]) {
      const res = await issue(organizer, product.entryId);
      expect(res.status).toBe(409);
      expect((await jsonOf(res)).formError).toBe(
        "Chỉ sản phẩm có nhiều phiếu được tính nhất (kể cả các sản phẩm bằng phiếu nhau) mới được cấp giấy chứng nhận “Sản phẩm được công chúng yêu thích”.",
      );
    }
    const other = await createPublishedRound({ year: 2026, products: [PRODUCTS[0]] });
    const stranger = await issue(organizer, other.products[0].entryId);
    expect(stranger.status).toBe(404);
    expect((await issue(organizer, 2 ** 40)).status).toBe(404);
    expect(await favourites(round.round.id)).toHaveLength(0);
  });

  it("each tied winner gets one by the button: its own serial, no decision, no validity, audited, the facility told", async () => {
    const first = await toastOf(await issue(organizer, round.products[0].entryId));
    expect(first.message).toMatch(/^Đã cấp giấy chứng nhận “Sản phẩm được công chúng yêu thích” số YT-KV-BAC-2026-\d{3}\.$/);
    // The other tied winner: two clicks at once make one certificate, the second is refused.
    const both = await Promise.allSettled([
      issueFavouriteCertificate({ roundId: round.round.id, entryId: round.products[1].entryId, actorId: organizer.id }),
      issueFavouriteCertificate({ roundId: round.round.id, entryId: round.products[1].entryId, actorId: organizer.id }),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const rows = await favourites(round.round.id);
    expect(rows).toHaveLength(2);
    const [poll] = await db().select().from(votePolls).where(eq(votePolls.roundId, round.round.id));
    for (const row of rows) {
      expect(row).toMatchObject({
        kind: "favourite",
        entryId: null,
        recipientId: null,
        decisionNo: null,
        decisionDate: null,
        validUntil: null,
        validityRule: null,
      });
      expect(row.serial).toMatch(/^YT-KV-BAC-2026-\d{3}$/);
      expect(row.subject).toMatchObject({
        award: "Sản phẩm được công chúng yêu thích",
        signerName: "Ngô Quang Trung",
        vote: { votes: 7, winners: 2, candidates: 4, countedVotes: 17, finalHash: poll.finalHash },
      });
    }
    expect(rows.map((r) => r.subjectName).sort()).toEqual(["Chè búp Tân Cương đặc biệt", "Miến dong Việt Cường"]);
    const audits = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "certificate.create"), eq(auditEvents.roundId, round.round.id)));
    expect(audits.filter((a) => (a.after as { kind?: string }).kind === "favourite")).toHaveLength(2);
    const [mine] = rows.filter((r) => r.favouriteEntryId === round.products[0].entryId);
    const told = await db().select().from(notifications).where(eq(notifications.userId, owner.id));
    expect(told.map((n) => [n.kind, n.title, n.link])).toEqual([
      [
        "certificate_issued",
        "Giấy chứng nhận “Sản phẩm được công chúng yêu thích” cho “Chè búp Tân Cương đặc biệt”",
        `/verify/${mine.code}`,
      ],
    ]);
    // The organiser's page now shows each certificate instead of its button.
    const page = await jsonOf(await call(organizerPage.loader, requestAs(organizer, org), p()));
    expect(page.award.every((w: { certificate: { serial: string } | null }) => w.certificate?.serial.startsWith("YT-"))).toBe(
      true,
    );
  });

  it("issuing twice is refused with the serial already issued; the serial counter does not move", async () => {
    const before = await db().select().from(serialCounters).where(eq(serialCounters.prefix, "YT-KV-BAC-2026"));
    const again = await issue(organizer, round.products[0].entryId);
    expect(again.status).toBe(409);
    const [existing] = (await favourites(round.round.id)).filter((c) => c.favouriteEntryId === round.products[0].entryId);
    expect((await jsonOf(again)).formError).toBe(
      `Sản phẩm này đã được cấp giấy chứng nhận “Sản phẩm được công chúng yêu thích” (số ${existing.serial}).`,
    );
    expect(await favourites(round.round.id)).toHaveLength(2);
    expect(await db().select().from(serialCounters).where(eq(serialCounters.prefix, "YT-KV-BAC-2026"))).toEqual(before);
  });

  it("the recognition certificates of the same products are untouched: one per entry in the winners list and the round's batch", async () => {
    const winners = await jsonOf(
      await call(winnersApi.loader, requestAs(null, `/api/v1/rounds/${round.round.slug}/winners`), p()),
    );
    expect(winners.winners).toHaveLength(4);
    for (const w of winners.winners) expect(w.certificate.serial).toMatch(/^KV-BAC-2026-\d{3}$/);
    const batch = await targetCertificateIds({ type: "round", id: round.round.id });
    expect(batch).toHaveLength(4);
  });
});

describe("the award's certificate in public", () => {
  it("GET /api/v1/certificates/:code answers kind favourite, no decision, no validity; /verify shows it with its kind", async () => {
    const [cert] = (await favourites(round.round.id)).filter((c) => c.favouriteEntryId === round.products[0].entryId);
    const body = await jsonOf(
      await call(certApi.loader, requestAs(null, `/api/v1/certificates/${cert.code}`), { code: cert.code }),
    );
    expect(body).toMatchObject({
      serial: cert.serial,
      kind: "favourite",
      status: "valid",
      issuer: "Cục Công nghiệp địa phương",
      decisionNo: null,
      decisionDate: null,
      validUntil: null,
      validityRule: null,
      revokedAt: null,
    });
    expect(body.subject).toMatchObject({
      name: "Chè búp Tân Cương đặc biệt",
      facilityName: "HTX Chè Tân Cương",
      provinceName: "Thái Nguyên",
    });
    const page = await jsonOf(await call(verifyPage.loader, requestAs(null, `/verify/${cert.code}`), { code: cert.code }));
    expect(page.certificate).toMatchObject({ kind: "favourite", status: "valid", productId: round.products[0].productId });
  });

  it("the vote's page and API list each winner's certificate", async () => {
    const rows = await favourites(round.round.id);
    const shown = await jsonOf(await call(votePage.loader, requestAs(null, `/rounds/${round.round.slug}/binh-chon`), p()));
    expect(shown.vote.award).toHaveLength(2);
    expect(shown.vote.awardCertificates.map((c: { code: string }) => c.code).sort()).toEqual(rows.map((r) => r.code).sort());
    const api = await jsonOf(await call(votesApi.loader, requestAs(null, `/api/v1/rounds/${round.round.slug}/votes`), p()));
    expect(api.award.sort()).toEqual(api.awardCertificates.map((c: { entryCode: string }) => c.entryCode).sort());
    expect(api.awardCertificates[0]).toEqual({
      entryCode: expect.any(String),
      serial: expect.stringMatching(/^YT-/),
      code: expect.any(String),
      status: "valid",
    });
  });

  it("revocation works as for every certificate: verify says revoked with the reason, the PDF is stamped, the vote's page says so", async () => {
    const [cert] = (await favourites(round.round.id)).filter((c) => c.favouriteEntryId === round.products[1].entryId);
    await revokeCertificate({
      serial: cert.serial,
      reason: "Phát hiện phiếu bình chọn gian lận sau khi chốt",
      actorId: organizer.id,
    });
    const body = await jsonOf(
      await call(certApi.loader, requestAs(null, `/api/v1/certificates/${cert.code}`), { code: cert.code }),
    );
    expect(body).toMatchObject({
      kind: "favourite",
      status: "revoked",
      revokedReason: "Phát hiện phiếu bình chọn gian lận sau khi chốt",
    });
    const api = await jsonOf(await call(votesApi.loader, requestAs(null, `/api/v1/rounds/${round.round.slug}/votes`), p()));
    expect(api.awardCertificates.find((c: { serial: string }) => c.serial === cert.serial).status).toBe("revoked");
    const [fresh] = await db().select().from(certificates).where(eq(certificates.id, cert.id));
    const stamped = pdfText((await certificatePdfForDownload(fresh)).bytes);
    expect(stamped).toContain("ĐÃ THU HỒI");
    const download = await call(byCode.loader, requestAs(null, `/certificates/by-code/${cert.code}.pdf`), {
      file: `${cert.code}.pdf`,
    });
    expect(download.status).toBe(200);
    expect(download.headers.get("Content-Disposition")).toContain("-thu-hoi.pdf");
  });
});

describe("the pages as people see them (server-rendered)", () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = (await createApp(await loadBuild())).listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 120_000);
  afterAll(() => void server?.close());
  const html = async (path: string, cookie?: string) => {
    const res = await fetch(base + path, { redirect: "manual", headers: cookie ? { cookie } : {} });
    return {
      status: res.status,
      html: (await res.text())
        .replace(/&#x27;|&#39;/g, "'")
        .replace(/&quot;/g, '"')
        .replace(/<!-- -->/g, ""),
    };
  };

  it("/verify and /en/verify name the kind and the vote; the vote's page links each certificate; the organiser sees them", async () => {
    const [cert] = (await favourites(round.round.id)).filter((c) => c.favouriteEntryId === round.products[0].entryId);
    const vi = await html(`/verify/${cert.code}`);
    expect(vi.status).toBe(200);
    for (const text of [
      "Giấy chứng nhận “Sản phẩm được công chúng yêu thích”",
      "Giấy chứng nhận hợp lệ",
      "chỉ mang tính tham khảo",
      "Kết quả đã chốt của bình chọn của công chúng (không có quyết định công nhận)",
      "7 phiếu — nhiều nhất trong 4 sản phẩm, 2 sản phẩm bằng phiếu nhau",
      `href="/rounds/${round.round.slug}/binh-chon"`,
    ])
      expect(vi.html, text).toContain(text);
    expect(vi.html).not.toContain("Quyết định</dt>");
    const en = await html(`/en/verify/${cert.code}`);
    for (const text of [
      "Certificate “The public's favourite product”",
      "The certificate is valid",
      "7 — the most among the 4 products in the vote, a tie between 2 products",
    ])
      expect(en.html, text).toContain(text);

    const vote = await html(`/rounds/${round.round.slug}/binh-chon`);
    expect(vote.html).toContain(`href="/verify/${cert.code}"`);
    expect(vote.html).toContain(`Giấy chứng nhận ${cert.serial}`);
    expect(vote.html).toContain("đã thu hồi");
    const voteEn = await html(`/en/rounds/${round.round.slug}/binh-chon`);
    expect(voteEn.html).toContain(`href="/en/verify/${cert.code}"`);
    expect(voteEn.html).toContain(`Certificate ${cert.serial}`);

    const page = await html(org, organizer.cookie);
    expect(page.status).toBe(200);
    expect(page.html).toContain("Danh hiệu “Sản phẩm được công chúng yêu thích”");
    expect(page.html).toContain(`Đã cấp giấy chứng nhận số <strong>${cert.serial}</strong>`);
    expect(page.html).not.toContain('value="favourite"');
  });
});

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cnnt-favourite-"));
function pdfText(bytes: Uint8Array): string {
  const file = path.join(tmp, `${Math.random().toString(36).slice(2)}.pdf`);
  fs.writeFileSync(file, bytes);
  return execFileSync("pdftotext", ["-layout", file, "-"]).toString("utf-8");
}

describe("the award's certificate PDF", () => {
  it("says what it is and where it comes from, never what the recognition says; Vietnamese marks intact", async () => {
    const [cert] = (await favourites(round.round.id)).filter((c) => c.favouriteEntryId === round.products[0].entryId);
    const { bytes } = await ensureCertificatePdf(cert);
    fs.writeFileSync(path.join(tmp, "favourite.pdf"), bytes);
    if (process.env.FAVOURITE_PDF_OUT) fs.writeFileSync(process.env.FAVOURITE_PDF_OUT, bytes);
    const text = pdfText(bytes).replace(/\s+/g, " ");
    const [poll] = await db().select().from(votePolls).where(eq(votePolls.roundId, round.round.id));
    for (const expected of [
      "GIẤY CHỨNG NHẬN",
      "Sản phẩm được công chúng yêu thích",
      "Theo kết quả Bình chọn của công chúng",
      "Chè búp Tân Cương đặc biệt",
      "HTX Chè Tân Cương",
      "Thời gian bình chọn",
      "Số phiếu được tính: 7 phiếu (nhiều nhất trong 4 sản phẩm, bằng phiếu với 1 sản phẩm khác)",
      "Kết quả chốt ngày:",
      poll.finalHash!,
      "không phải giấy chứng nhận sản phẩm công nghiệp nông thôn tiêu biểu",
      "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
      "CỤC TRƯỞNG",
      "Ngô Quang Trung",
      cert.serial,
    ])
      expect(text).toContain(expected);
    // Not the recognition: no recognition title, decision or validity.
    expect(text).not.toContain("SẢN PHẨM CÔNG NGHIỆP NÔNG THÔN TIÊU BIỂU");
    expect(text).not.toMatch(/Quyết định công nhận|Hiệu lực/);
    // The PNG preview is the same layout drawn by sharp.
    const png = await certificatePreviewPng(cert);
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    if (process.env.FAVOURITE_PDF_OUT) fs.writeFileSync(`${process.env.FAVOURITE_PDF_OUT}.png`, png);
  });
});

describe("the database refuses the award's certificate by direct SQL as the app's role", () => {
  const insert = (fields: {
    roundId: number;
    favourite?: number | null;
    entry?: number | null;
    decisionNo?: string | null;
    validUntil?: string | null;
    kind?: string;
  }) =>
    db()
      .execute(
        sql`insert into certificates (kind, serial, code, round_id, favourite_entry_id, entry_id, subject, subject_name, issuer, decision_no, decision_date, issued_at, valid_until)
            values (${fields.kind ?? "favourite"}, ${`SQL-${Math.random().toString(36).slice(2, 10)}`}, ${`C${Math.random().toString(36).slice(2, 14).toUpperCase()}`},
                    ${fields.roundId}, ${fields.favourite ?? null}, ${fields.entry ?? null}, '{}'::jsonb, 'x', 'Cục', ${fields.decisionNo ?? null},
                    ${fields.decisionNo ? "2026-08-14" : null}, now(), ${fields.validUntil ?? null})`,
      )
      .catch((e) => e);

  it("for a product that is not a winner, before freezing, twice, with a decision or a validity, or moved to another product", async () => {
    const id = round.round.id;
    expect(ruleViolation(await insert({ roundId: id, favourite: round.products[2].entryId }))).toBe("favourite_award");
    expect(ruleViolation(await insert({ roundId: id, favourite: round.products[3].entryId }))).toBe("favourite_award");
    // a winner's second one: the unique constraint
    expect(pgErrorCode(await insert({ roundId: id, favourite: round.products[0].entryId }))).toBe("23505");
    // the kind's columns
    expect(pgErrorCode(await insert({ roundId: id, favourite: round.products[0].entryId, decisionNo: "1/QĐ" }))).toBe("23514");
    expect(pgErrorCode(await insert({ roundId: id, favourite: round.products[0].entryId, validUntil: "2029-12-31" }))).toBe(
      "23514",
    );
    expect(
      pgErrorCode(await insert({ roundId: id, favourite: round.products[0].entryId, entry: round.products[0].entryId })),
    ).toBe("23514");
    expect(await insert({ roundId: id, favourite: null, entry: round.products[0].entryId })).toBeInstanceOf(Error);
    expect(
      pgErrorCode(
        await insert({
          roundId: id,
          kind: "product",
          favourite: round.products[0].entryId,
          entry: round.products[2].entryId,
          decisionNo: "1/QĐ",
        }),
      ),
    ).toBe("23514");
    // an issued one cannot be moved to another product
    const [cert] = await favourites(id);
    const moved = await db()
      .execute(sql`update certificates set favourite_entry_id = ${round.products[2].entryId} where id = ${cert.id}`)
      .catch((e) => e);
    expect(ruleViolation(moved)).toBe("certificate_immutable");

    // a vote not frozen yet
    const open = await createPublishedRound({ year: 2026, products: PRODUCTS.slice(0, 2) });
    await pollWithVotes(open, [3, 1]);
    expect(ruleViolation(await insert({ roundId: open.round.id, favourite: open.products[0].entryId }))).toBe("favourite_award");
    expect(await favourites(open.round.id)).toHaveLength(0);
    const [{ n }] = rowsOf<{ n: string }>(
      await db().execute(sql`select count(*) as n from certificates where serial like 'SQL-%'`),
    );
    expect(Number(n)).toBe(0);
  });
});
