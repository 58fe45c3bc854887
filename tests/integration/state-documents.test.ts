/**
 * Issue 14 item 5: the papers as the state writes them — the date line, the place and the signing
 * block of product certificates (regional and provincial), the Bằng khen with "Ông/Bà", the
 * decision line, the số sổ vàng and the issuer's emblem; decision numbers per issuer and year.
 * Every layout is also written as PDF + PNG (pdftoppm -r 60) into STATE_DOCS_OUT when it is set,
 * to be looked at.
 */
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { createMeritCertificates } from "../../app/models/certificate/certificate.server";
import { ensureCertificatePdf } from "../../app/models/certificate/pdf.server";
import { addRecipients, createDecision } from "../../app/models/commendation/commendation.server";
import { emblemPng, storeEmblem } from "../../app/models/commendation/emblem.server";
import { finaliseRound, recordDecision } from "../../app/models/results/results.server";
import * as ministryHome from "../../app/routes/ministry._index";
import { DecisionSchema, RecipientSchema } from "../../app/schemas/commendation";
import { db, pgErrorCode, rowsOf } from "../../app/utils/db.server";
import { AppError } from "../../app/utils/errors";
import { certificates, commendationDecisions, commendationRecipients, rounds } from "../../db/schema";
import { placeholderEmblemPng } from "../../scripts/seed/emblem-placeholder";
import { createOfficer, createTestDecision, decisionForm, SAMPLE_RECIPIENTS } from "../factories/commendation";
import { call, createTestUser, jsonOf, requestAs } from "../factories/index";
import { createPublishedRound } from "../factories/published";
import { scoringRound, submitSheet } from "../factories/scoring";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cnnt-docs-"));
const out = process.env.STATE_DOCS_OUT;

/** The PDF's text through pdftotext; with STATE_DOCS_OUT, the PDF and its 60 dpi PNG are kept there. */
function pdfText(bytes: Uint8Array, name: string): string {
  const dir = out ?? tmp;
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.pdf`);
  fs.writeFileSync(file, bytes);
  if (out) execFileSync("pdftoppm", ["-png", "-r", "60", "-singlefile", file, path.join(dir, name)]);
  return execFileSync("pdftotext", ["-layout", file, "-"]).toString("utf-8").normalize("NFC");
}

async function meritCerts(decisionId: number) {
  const rows = await db()
    .select({ cert: certificates })
    .from(certificates)
    .innerJoin(commendationRecipients, eq(commendationRecipients.id, certificates.recipientId))
    .where(eq(commendationRecipients.decisionId, decisionId));
  return rows.map((r) => r.cert);
}

describe("product certificates: the issuer's place and the signing block", () => {
  it("a regional round is dated Hà Nội and signed CỤC TRƯỞNG over the signer's name (not the job title)", async () => {
    const { products } = await createPublishedRound({ decisionDate: "2016-09-30", products: [{ name: "Miến dong Việt Cường", facility: "HTX Việt Cường", province: "Thái Nguyên" }] });
    const [cert] = await db().select().from(certificates).where(eq(certificates.entryId, products[0].entryId));
    expect(cert.subject).toMatchObject({ place: "Hà Nội", signerCapacity: ["CỤC TRƯỞNG"], signerName: "Ngô Quang Trung" });
    const text = pdfText((await ensureCertificatePdf(cert)).bytes, "product-regional");
    expect(text).toContain("Hà Nội, ngày 30 tháng 9 năm 2016");
    expect(text).not.toContain("tháng 09");
    expect(text).toContain(`số ${cert.decisionNo}, ngày 30 tháng 9 năm 2016`);
    expect(text).toMatch(/CỤC TRƯỞNG[\s\S]*Ngô Quang Trung/);
    expect(text).not.toContain("Cục trưởng Cục Công nghiệp địa phương");
  });

  it("a provincial round is dated in its province and signed TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH and the name", async () => {
    const { products } = await createPublishedRound({ level: "province", year: 2026, decisionDate: "2026-08-14", products: [{ name: "Chè Tân Cương", facility: "HTX Chè Tân Cương", province: "Thái Nguyên" }] });
    // The round's decision records as the organiser enters them for a provincial round.
    const [tn] = rowsOf<{ code: string }>(await db().execute(sql`select code from provinces_2025 where name = 'Thái Nguyên'`));
    const [old] = await db().select().from(certificates).where(eq(certificates.entryId, products[0].entryId));
    const { roundSigning } = await import("../../app/models/certificate/certificate.server");
    const signing = await roundSigning({
      level: "province",
      provinceCode: tn.code,
      decisionDate: "2026-08-14",
      decisionSigner: "Phó Chủ tịch UBND tỉnh Thái Nguyên",
      decisionSignerName: "Lê Quang Minh",
      decisionSignerCapacity: null,
    });
    expect(signing).toEqual({ place: "Thái Nguyên", capacity: ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"], name: "Lê Quang Minh" });
    const { productLayout } = await import("../../app/models/certificate/pdf.server");
    const { renderPdf } = await import("../../app/utils/pdf.server");
    const bytes = await renderPdf(productLayout({ ...old, subject: { ...old.subject, place: undefined, signerCapacity: undefined, signerName: undefined } }, { regionName: null, signing }));
    const text = pdfText(bytes, "product-provincial");
    expect(text).toContain("Thái Nguyên, ngày 14 tháng 8 năm 2026");
    expect(text).not.toContain("Hà Nội, ngày");
    expect(text).toMatch(/TM\. ỦY BAN NHÂN DÂN[\s\S]*KT\. CHỦ TỊCH[\s\S]*PHÓ CHỦ TỊCH[\s\S]*Lê Quang Minh/);
  });
});

describe("the round's decision: number per issuer and year, signer's name and capacity validated", () => {
  it("refuses a number the issuer used that year, accepts it another year; a job title as the name is refused", async () => {
    const finalised = async () => {
      const ctx = await scoringRound({ entryCount: 1, jurorCount: 1 });
      await submitSheet({ roundId: ctx.round.id, entryId: ctx.entries[0].id, jurorId: ctx.jurors[0].id, total: 80 });
      await finaliseRound({ roundId: ctx.round.id, actorId: ctx.organizer.id });
      return ctx;
    };
    const a = await finalised();
    const b = await finalised();
    expect(a.round.authority).toBe(b.round.authority);
    const base = { actorId: a.organizer.id, decisionNo: "1208/QĐ-CNĐP", decisionDate: "2016-09-26", decisionSigner: "Cục trưởng Cục Công nghiệp địa phương" };
    await recordDecision({ ...base, roundId: a.round.id, decisionSignerName: "Ngô Quang Trung" });
    const err = await recordDecision({ ...base, roundId: b.round.id }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toBe(`Số quyết định 1208/QĐ-CNĐP đã được dùng cho một quyết định khác của ${a.round.authority} trong năm 2016.`);
    const [unchanged] = await db().select().from(rounds).where(eq(rounds.id, b.round.id));
    expect(unchanged.decisionNo).toBeNull();
    // The same number in 2017 is another decision.
    await recordDecision({ ...base, roundId: b.round.id, decisionDate: "2017-01-05" });
    // The database holds it past the model.
    const raw = await db().execute(sql`update rounds set decision_date = '2016-12-01' where id = ${b.round.id}`).catch((e: unknown) => e);
    expect(pgErrorCode(raw)).toBe("23505");

    const bad = await recordDecision({ ...base, roundId: a.round.id, decisionNo: "1300/QĐ-CNĐP", decisionSignerName: "Cục trưởng Cục CNĐP", decisionSignerCapacity: "A\nB\nC\nD\nE" }).catch((e: unknown) => e);
    expect((bad as AppError).fields).toMatchObject({ decisionSignerName: expect.stringContaining("không phải chức danh"), decisionSignerCapacity: expect.stringContaining("tối đa 4 dòng") });
    // An empty capacity takes the usual lines of the title.
    await recordDecision({ ...base, roundId: a.round.id, decisionNo: "1301/QĐ-CNĐP", decisionSigner: "Phó Cục trưởng Cục Công nghiệp địa phương", decisionSignerName: "Nguyễn Văn A" });
    const [row] = await db().select().from(rounds).where(eq(rounds.id, a.round.id));
    expect(row.decisionSignerCapacity).toBe("KT. CỤC TRƯỞNG\nPHÓ CỤC TRƯỞNG");
  });
});

describe("Bằng khen: Ông/Bà, the decision line, the số sổ vàng, the emblem", () => {
  it("prints an individual with Ông/Bà and a collective without; the bottom line and the số sổ vàng", async () => {
    const officer = await createOfficer();
    await storeEmblem({ authority: "Bộ Công Thương", bytes: await placeholderEmblemPng(), fileName: "bieu-trung.png", actorId: officer.id });
    const decision = await createTestDecision({ actorId: officer.id, issue: true, overrides: { signedOn: "2016-09-30" } });
    const certs = await meritCerts(decision.id);
    const individual = certs.find((c) => c.subjectName === "Nguyễn Thị Hường")!;
    const collective = certs.find((c) => c.subjectName === "Sở Công Thương tỉnh Ninh Bình")!;
    const ti = pdfText((await ensureCertificatePdf(individual)).bytes, "merit-individual");
    expect(ti).toContain("Bà Nguyễn Thị Hường");
    expect(ti).toContain(`Quyết định số ${decision.number}, ngày 30 tháng 9 năm 2016`);
    expect(ti).toContain(`Số sổ vàng: ${individual.goldBookNo}`);
    expect(ti).toContain("Hà Nội, ngày 30 tháng 9 năm 2016");
    expect(ti).not.toMatch(/\d{2}\/\d{2}\/\d{4}/);
    const tc = pdfText((await ensureCertificatePdf(collective)).bytes, "merit-collective");
    expect(tc).toContain("Sở Công Thương tỉnh Ninh Bình");
    expect(tc).not.toMatch(/(Ông|Bà) Sở Công Thương/);
    // The emblem is drawn as an image on the page.
    const file = path.join(tmp, `${crypto.randomUUID()}.pdf`);
    fs.writeFileSync(file, (await ensureCertificatePdf(individual)).bytes);
    expect(execFileSync("pdfimages", ["-list", file]).toString()).toMatch(/\n\s*1\s+\d+\s+image/);
  });

  it("numbers the golden book per issuer and year, 1, 2, 3 … without gaps or repeats under concurrent issuing", async () => {
    const officer = await createOfficer();
    const year = 2031;
    const decisions = [];
    for (let i = 0; i < 3; i++) {
      const data = DecisionSchema.parse(decisionForm({ signedOn: `${year}-0${i + 3}-10` }));
      const d = await createDecision({ data, actorId: officer.id });
      await addRecipients({ decisionId: d.id, recipients: SAMPLE_RECIPIENTS, actorId: officer.id });
      await db().update(commendationDecisions).set({ status: "issued", issuedAt: new Date() }).where(eq(commendationDecisions.id, d.id));
      decisions.push(d);
    }
    await Promise.all(decisions.map((d) => db().transaction((t) => createMeritCertificates({ decisionId: d.id, actorId: officer.id }, t))));
    const numbers = rowsOf<{ n: number }>(
      await db().execute(sql`select gold_book_no as n from certificates where kind = 'merit' and extract(year from decision_date) = ${year} order by gold_book_no`),
    ).map((r) => r.n);
    expect(numbers).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // Another issuer starts its own book.
    const other = DecisionSchema.parse(decisionForm({ signedOn: `${year}-05-01`, authority: "Bộ Nông nghiệp và Môi trường" }));
    const d = await createDecision({ data: other, actorId: officer.id });
    await addRecipients({ decisionId: d.id, recipients: SAMPLE_RECIPIENTS.slice(0, 1), actorId: officer.id });
    await db().update(commendationDecisions).set({ status: "issued" }).where(eq(commendationDecisions.id, d.id));
    await createMeritCertificates({ decisionId: d.id, actorId: officer.id });
    expect((await meritCerts(d.id))[0].goldBookNo).toBe(1);
    // Unique and frozen in the database.
    const [first] = await meritCerts(decisions[0].id);
    const dup = await db().execute(sql`update certificates set gold_book_no = 2 where id = ${first.id}`).catch((e: unknown) => e);
    expect(pgErrorCode(dup)).toMatch(/23505|P0001/);
  });

  it("validates Ông/Bà: accepts “ông”/“Bà”, refuses other words and an honorific on a collective", () => {
    const base = { kind: "individual", name: "Nguyễn Văn A", position: "", organization: "Sở Công Thương", achievement: "Thành tích" };
    expect(RecipientSchema.parse({ ...base, honorific: "ông" }).honorific).toBe("Ông");
    expect(RecipientSchema.parse({ ...base, honorific: "Bà" }).honorific).toBe("Bà");
    const wrong = RecipientSchema.safeParse({ ...base, honorific: "Anh" });
    expect(wrong.success ? "" : wrong.error.issues[0].message).toBe("Danh xưng “Anh” không hợp lệ: ghi “Ông” hoặc “Bà”.");
    const collective = RecipientSchema.safeParse({ ...base, kind: "collective", honorific: "Ông" });
    expect(collective.success ? "" : collective.error.issues[0].message).toContain("chỉ ghi cho cá nhân");
  });

  it("the emblem upload takes a real image only, with a Vietnamese message, and keeps nothing of a refused file", async () => {
    const officer = await createOfficer();
    const fake = Buffer.from("<html><script>alert(1)</script></html>");
    const err = await storeEmblem({ authority: "Cục Thử nghiệm", bytes: fake, fileName: "quoc-huy.png", actorId: officer.id }).catch((e: unknown) => e);
    expect((err as AppError).fields?.emblem).toMatch(/không phải là ảnh/);
    expect(await emblemPng("Cục Thử nghiệm")).toBeNull();
    const tiny = await (await import("sharp")).default({ create: { width: 20, height: 20, channels: 3, background: "#fff" } }).png().toBuffer();
    const small = await storeEmblem({ authority: "Cục Thử nghiệm", bytes: tiny, fileName: "nho.png", actorId: officer.id }).catch((e: unknown) => e);
    expect((small as AppError).fields?.emblem).toMatch(/quá nhỏ/);
    const stored = await storeEmblem({ authority: "Cục Thử nghiệm", bytes: await placeholderEmblemPng(), fileName: "bieu-trung.png", actorId: officer.id });
    expect(stored.width).toBe(320);
    expect((await emblemPng("cục thử nghiệm"))?.subarray(1, 4).toString()).toBe("PNG");
    const n = rowsOf<{ n: number }>(await db().execute(sql`select count(*)::int as n from issuer_emblems where authority = 'Cục Thử nghiệm'`))[0].n;
    expect(n).toBe(1);
  });

  it("a ministry officer uploads the emblem on /ministry (multipart); another role is refused", async () => {
    const officer = await createOfficer();
    const png = await placeholderEmblemPng(200);
    const upload = (user: { cookie: string }, bytes: Buffer, name: string) =>
      call(ministryHome.action, requestAs(user, "/ministry", { form: { intent: "emblem", authority: "Cục Biểu Trưng Thử", emblem: new File([new Uint8Array(bytes)], name, { type: "image/png" }) } }));
    const ok = await upload(officer, png, "bieu-trung.png");
    expect(ok.status).toBe(302);
    expect((await emblemPng("Cục Biểu Trưng Thử"))?.length).toBeGreaterThan(100);
    const bad = await upload(officer, Buffer.from("%PDF-1.4 not an image"), "anh.png");
    expect(bad.status).toBe(400);
    expect((await jsonOf(bad)).fields.emblem).toMatch(/không phải là ảnh/);
    const juror = await createTestUser({ roles: ["juror"] });
    expect((await upload(juror, png, "x.png")).status).toBe(403);
  });
});
