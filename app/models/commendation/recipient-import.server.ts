/**
 * Importing a decision's recipients from CSV (UTF-8, with or without BOM, "," or ";"; read by
 * `utils/csv-read.server.ts`) or XLSX.
 * The file is checked row by row and every error is reported with its row and column; nothing is
 * imported unless every row is right. Formulas are never evaluated: a formula cell (XLSX) or a
 * value that a spreadsheet would run as one (=, +, -, @) is refused, so none can be stored and
 * later exported back. Limits: 5 MB, 5,000 data rows, 50 MB unpacked for XLSX.
 */
import { eq } from "drizzle-orm";
import type ExcelJS from "exceljs";
import type JSZip from "jszip";

import { commendationRecipients } from "../../../db/schema";
import { duplicateKey, foldName, KIND_LABELS, type RecipientInput, RecipientSchema, type RecipientKind } from "../../schemas/commendation";
import { toCsv } from "../../utils/csv";
import { decodeUtf8, firstInvalidUtf8, lineOfByte, parseCsv } from "../../utils/csv-read.server";
import { type Database, db } from "../../utils/db.server";
import { AppError } from "../../utils/errors";
import { onFirstUse } from "../../utils/on-first-use.server";
import { unpacksWithin } from "../../utils/zip-budget.server";
import { eraOf, provinceEraProblem } from "../round/territory-rules";
import { provinceReference } from "../round/territory.server";
import { oldEraName } from "../shared/province-rules";
import { addRecipients, getDecisionRow, MAX_RECIPIENTS_PER_DECISION } from "./commendation.server";

const excel = onFirstUse<typeof ExcelJS>("exceljs");
const jszip = onFirstUse<typeof JSZip>("jszip");

export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
export const MAX_IMPORT_ROWS = MAX_RECIPIENTS_PER_DECISION;
const MAX_UNPACKED_BYTES = 50 * 1024 * 1024;

type Key = "kind" | "honorific" | "name" | "position" | "organization" | "province" | "achievement";

/** The template's columns, in order, with the header spellings accepted for each. */
export const IMPORT_COLUMNS: { key: Key; header: string; aliases: string[]; required: boolean; width: number; note: string }[] = [
  { key: "kind", header: "Loại (Tập thể/Cá nhân)", aliases: ["loai", "loai tap the ca nhan", "tap the ca nhan", "doi tuong"], required: true, width: 22, note: "Ghi “Tập thể” hoặc “Cá nhân”." },
  { key: "name", header: "Tên tập thể / Họ và tên", aliases: ["ten tap the ho va ten", "ho va ten", "ten", "ten tap the", "ho ten"], required: true, width: 40, note: "Tối đa 200 ký tự." },
  { key: "position", header: "Chức vụ", aliases: ["chuc vu"], required: true, width: 24, note: "Với cá nhân; để trống với tập thể." },
  { key: "organization", header: "Cơ quan, đơn vị", aliases: ["co quan don vi", "don vi", "co quan", "don vi cong tac"], required: true, width: 40, note: "Bắt buộc với cá nhân." },
  { key: "province", header: "Tỉnh, thành phố", aliases: ["tinh thanh pho", "tinh", "dia phuong", "tinh thanh"], required: true, width: 20, note: "Tên tỉnh theo thời điểm của quyết định: 63 tỉnh trước 01/07/2025 (ví dụ “Hà Nam”), 34 tỉnh từ 01/07/2025 (ví dụ “Ninh Bình”)." },
  { key: "achievement", header: "Thành tích", aliases: ["thanh tich", "thanh tich khen thuong"], required: true, width: 60, note: "Tối đa 500 ký tự (in trên Bằng khen)." },
  { key: "honorific", header: "Danh xưng (Ông/Bà)", aliases: ["danh xung", "danh xung ong ba", "ong ba", "gioi tinh"], required: false, width: 14, note: "Với cá nhân: “Ông” hoặc “Bà” (in trước họ tên trên Bằng khen); để trống với tập thể." },
];
/** Columns that may be present and are ignored. */
const IGNORED_HEADERS = new Set(["stt", "so thu tu", "tt"]);

export interface ImportIssue {
  /** Row number in the file (the header is row 1); 0 for the whole file. */
  row: number;
  /** Column letter and header, when the issue is about one cell. */
  column?: string;
  message: string;
}

export type ImportResult =
  | { ok: true; count: number; duplicates: ImportIssue[] }
  | { ok: false; errors: ImportIssue[]; total: number };

const fileError = (message: string): ImportResult => ({ ok: false, errors: [{ row: 0, message }], total: 0 });

export function columnLetter(index: number): string {
  let n = index + 1;
  let s = "";
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

const fmt = (n: number) => new Intl.NumberFormat("vi-VN").format(n);

type Sheet = { rows: { line: number; cells: string[] }[]; errors: ImportIssue[] };

function decodeCsv(bytes: Uint8Array): Sheet | ImportResult {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    return fileError("Tệp CSV đang ở mã UTF-16: hãy lưu lại dạng “CSV UTF-8 (phân tách bằng dấu phẩy)”.");
  }
  const head = bytes.subarray(0, 8192);
  if (head.includes(0)) return fileError("Tệp không phải CSV hoặc XLSX (có dữ liệu nhị phân).");
  const text = decodeUtf8(bytes);
  if (text === null) {
    const line = lineOfByte(bytes, firstInvalidUtf8(bytes));
    return fileError(
      `Tệp không phải UTF-8 hợp lệ (byte lỗi ở dòng ${line}); có thể tệp được lưu bằng mã Windows-1258, TCVN3 hoặc VNI. Hãy mở bằng Excel và lưu lại dạng “CSV UTF-8”.`,
    );
  }
  const parsed = parseCsv(text);
  if (parsed.error) return { ok: false, errors: [parsed.error], total: 0 };
  return { rows: parsed.rows, errors: [] };
}

function cellText(value: ExcelJS.CellValue): { text: string; formula?: string } {
  if (value === null || value === undefined) return { text: "" };
  if (typeof value === "string") return { text: value };
  if (typeof value === "number" || typeof value === "boolean") return { text: String(value) };
  if (value instanceof Date) return { text: value.toISOString().slice(0, 10) };
  if (typeof value === "object") {
    const v = value as unknown as Record<string, unknown>;
    if ("formula" in v || "sharedFormula" in v) return { text: "", formula: String(v.formula ?? v.sharedFormula ?? "") };
    if ("richText" in v && Array.isArray(v.richText)) return { text: v.richText.map((r: { text?: string }) => r.text ?? "").join("") };
    if ("text" in v) return { text: typeof v.text === "string" ? v.text : cellText(v.text as ExcelJS.CellValue).text };
    if ("error" in v) return { text: String(v.error) };
  }
  return { text: String(value) };
}

async function readXlsx(bytes: Uint8Array): Promise<Sheet | ImportResult> {
  let zip: JSZip;
  try {
    zip = await jszip().loadAsync(bytes);
  } catch {
    return fileError("Tệp .xlsx bị hỏng hoặc không phải bảng tính Excel.");
  }
  if (!zip.file("xl/workbook.xml")) return fileError("Tệp nén ZIP này không phải bảng tính Excel (.xlsx).");
  // A zip bomb is refused before anything is unpacked.
  if (!(await unpacksWithin(zip, MAX_UNPACKED_BYTES))) return fileError(`Bảng tính giải nén ra quá lớn (hơn ${MAX_UNPACKED_BYTES / 1048576} MB); tối đa ${MAX_UNPACKED_BYTES / 1048576} MB.`);
  const sheetFile = Object.keys(zip.files).find((p) => /^xl\/worksheets\/sheet1\.xml$/.test(p)) ?? Object.keys(zip.files).find((p) => /^xl\/worksheets\/[^/]+\.xml$/.test(p));
  if (sheetFile) {
    // Count rows from the XML before building the workbook in memory.
    const xml = await zip.file(sheetFile)!.async("string");
    const rowCount = (xml.match(/<row[\s>]/g) ?? []).length;
    if (rowCount - 1 > MAX_IMPORT_ROWS) return tooManyRows(rowCount - 1);
  }
  const wb = new (excel().Workbook)();
  try {
    await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch {
    return fileError("Không đọc được bảng tính .xlsx (tệp hỏng hoặc được bảo vệ bằng mật khẩu).");
  }
  const ws = wb.worksheets[0];
  if (!ws) return fileError("Bảng tính không có trang tính nào.");
  const rows: Sheet["rows"] = [];
  const errors: ImportIssue[] = [];
  const width = ws.columnCount;
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    for (let c = 1; c <= width; c++) {
      const { text, formula } = cellText(row.getCell(c).value);
      if (formula !== undefined) {
        errors.push({ row: rowNumber, column: columnLetter(c - 1), message: `Ô ${columnLetter(c - 1)}${rowNumber} chứa công thức (=${formula.slice(0, 40)}); công thức không được thực thi, hãy dán giá trị.` });
      }
      cells.push(text);
    }
    rows.push({ line: rowNumber, cells });
  });
  return { rows, errors };
}

function tooManyRows(n: number): ImportResult {
  return fileError(`Tệp có ${fmt(n)} dòng dữ liệu; mỗi lần nhập tối đa ${fmt(MAX_IMPORT_ROWS)} dòng. Hãy chia thành nhiều tệp.`);
}

/** Reads the file into rows of cells; refuses what is not CSV/XLSX before looking at cells. */
async function readSheet(file: { name: string; bytes: Uint8Array }): Promise<Sheet | ImportResult> {
  const { bytes } = file;
  const ext = /\.([A-Za-z0-9]{1,5})$/.exec(file.name)?.[1]?.toLowerCase() ?? "";
  if (bytes.length === 0) return fileError("Tệp trống (0 byte).");
  if (bytes.length > MAX_IMPORT_BYTES) return fileError(`Tệp ${fmt(Math.round(bytes.length / 1024))} KB vượt giới hạn ${MAX_IMPORT_BYTES / 1048576} MB.`);
  const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
  const isOle = bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0;
  if (isOle || ext === "xls") return fileError("Tệp Excel 97–2003 (.xls) không được hỗ trợ: hãy lưu lại dạng .xlsx hoặc CSV UTF-8.");
  if (!["csv", "xlsx", "txt"].includes(ext)) return fileError(`Tệp “${file.name.slice(0, 80)}” không phải CSV hoặc XLSX: chỉ nhận tệp .csv hoặc .xlsx.`);
  if (ext === "xlsx") return isZip ? readXlsx(bytes) : fileError("Tệp có đuôi .xlsx nhưng không phải bảng tính Excel (nội dung không đúng định dạng).");
  if (isZip) return fileError("Tệp có đuôi .csv nhưng là tệp nén (có thể là .xlsx đổi tên): hãy chọn đúng tệp.");
  const sheet = decodeCsv(bytes);
  if ("ok" in sheet) return sheet;
  const dataRows = sheet.rows.filter((r) => r.cells.some((c) => c.trim())).length - 1;
  if (dataRows > MAX_IMPORT_ROWS) return tooManyRows(dataRows);
  return sheet;
}

function kindOf(value: string): RecipientKind | null {
  const f = foldName(value);
  if (["tap the", "tt", "collective", "to chuc", "don vi"].includes(f)) return "collective";
  if (["ca nhan", "cn", "individual"].includes(f)) return "individual";
  return null;
}

function provinceKey(name: string): string {
  return foldName(name).replace(/^(tinh|thanh pho|tp)\s+/, "");
}

/**
 * Checks a file and returns the recipients it holds, or every error by row and column.
 * Existing recipients of the decision are used to flag duplicates (flagged, not refused).
 */
export async function parseRecipientFile(
  file: { name: string; bytes: Uint8Array },
  existing: { kind: string; name: string; organization: string | null }[] = [],
  tx: Database = db(),
  /** The decision's date: names are read in the province list of its era (63 before 1 July 2025, 34 after). */
  signedOn: string = "2016-01-01",
): Promise<{ ok: true; recipients: RecipientInput[]; duplicates: ImportIssue[] } | { ok: false; errors: ImportIssue[]; total: number }> {
  const sheet = await readSheet(file);
  if ("ok" in sheet) return sheet as { ok: false; errors: ImportIssue[]; total: number };
  const nonEmpty = sheet.rows.filter((r) => r.cells.some((c) => c.trim()));
  if (!nonEmpty.length) return fileError("Tệp trống: không có dòng tiêu đề và dữ liệu.") as { ok: false; errors: ImportIssue[]; total: number };
  const [header, ...data] = nonEmpty;
  const errors: ImportIssue[] = [...sheet.errors];

  // Header: every column known, every required one present, none twice.
  const map = new Map<Key, number>();
  header.cells.forEach((raw, i) => {
    const f = foldName(raw.replace(/^\uFEFF/, ""));
    if (!f) {
      if (data.some((r) => (r.cells[i] ?? "").trim())) errors.push({ row: header.line, column: columnLetter(i), message: `Cột ${columnLetter(i)} có dữ liệu nhưng không có tiêu đề.` });
      return;
    }
    if (IGNORED_HEADERS.has(f)) return;
    const col = IMPORT_COLUMNS.find((c) => c.aliases.includes(f) || foldName(c.header) === f);
    if (!col) {
      errors.push({ row: header.line, column: columnLetter(i), message: `Cột thừa “${raw.trim().slice(0, 60)}” (cột ${columnLetter(i)}): mẫu chỉ có các cột ${IMPORT_COLUMNS.map((c) => `“${c.header}”`).join(", ")}.` });
      return;
    }
    if (map.has(col.key)) {
      errors.push({ row: header.line, column: columnLetter(i), message: `Cột “${col.header}” xuất hiện hai lần (cột ${columnLetter(map.get(col.key)!)} và ${columnLetter(i)}).` });
      return;
    }
    map.set(col.key, i);
  });
  const missing = IMPORT_COLUMNS.filter((c) => c.required && !map.has(c.key));
  if (missing.length) {
    errors.push({ row: header.line, message: `Thiếu cột: ${missing.map((c) => `“${c.header}”`).join(", ")}. Hãy dùng tệp mẫu.` });
  }
  if (errors.some((e) => e.row === header.line)) return { ok: false, errors, total: data.length };
  if (!data.length) return fileError("Tệp chỉ có dòng tiêu đề, chưa có tập thể hoặc cá nhân nào.") as { ok: false; errors: ImportIssue[]; total: number };

  const ref = await provinceReference(tx);
  const era = eraOf(signedOn);
  const inEra = [...(era === "2016" ? ref.old : ref.current).entries()].map(([code, p]) => ({ code, name: p.name }));
  const otherEra = [...(era === "2016" ? ref.current : ref.old).entries()].map(([code, p]) => ({ code, name: p.name }));
  const provinceByKey = new Map(inEra.map((p) => [provinceKey(p.name), p]));
  // "Huế" names Thừa Thiên Huế from 1 January 2025 (a centrally-run city before the merger).
  if (era === "2016") for (const p of inEra) provinceByKey.set(provinceKey(oldEraName(p.code, p.name, signedOn)), p);
  const otherByKey = new Map(otherEra.map((p) => [provinceKey(p.name), p]));
  const colName = (key: Key) => `${columnLetter(map.get(key)!)} (${IMPORT_COLUMNS.find((c) => c.key === key)!.header})`;
  const fieldKey: Record<string, Key> = { kind: "kind", honorific: "honorific", name: "name", position: "position", organization: "organization", provinceCode: "province", achievement: "achievement" };

  const recipients: RecipientInput[] = [];
  const lines: number[] = [];
  for (const r of data) {
    const cell = (key: Key) => (map.has(key) ? (r.cells[map.get(key)!] ?? "") : "").normalize("NFC").trim();
    const rowErrors: ImportIssue[] = [];
    const kindText = cell("kind");
    const kind = kindOf(kindText);
    if (!kind) rowErrors.push({ row: r.line, column: colName("kind"), message: kindText ? `“${kindText.slice(0, 40)}” không phải “Tập thể” hoặc “Cá nhân”.` : "Chưa ghi loại (Tập thể/Cá nhân)." });
    const provinceText = cell("province");
    let provinceCode: string | undefined;
    if (provinceText) {
      const p = provinceByKey.get(provinceKey(provinceText));
      const other = p ? null : otherByKey.get(provinceKey(provinceText));
      if (p) provinceCode = p.code;
      else if (other) rowErrors.push({ row: r.line, column: colName("province"), message: provinceEraProblem(other.code, signedOn, ref) ?? "" });
      else
        rowErrors.push({
          row: r.line,
          column: colName("province"),
          message: `Không có tỉnh, thành phố “${provinceText.slice(0, 60)}” trong danh mục ${era === "2016" ? "63 tỉnh, thành phố (trước 01/07/2025)" : "34 tỉnh, thành phố (từ 01/07/2025)"}.`,
        });
    }
    const parsed = RecipientSchema.safeParse({
      kind: kind ?? "collective",
      honorific: cell("honorific"),
      name: cell("name"),
      position: cell("position"),
      organization: cell("organization"),
      provinceCode,
      achievement: cell("achievement"),
    });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const key = fieldKey[String(issue.path[0] ?? "")];
        if (key === "kind" && !kind) continue;
        rowErrors.push({ row: r.line, column: key ? colName(key) : undefined, message: issue.message });
      }
    }
    if (rowErrors.length) errors.push(...rowErrors);
    else if (parsed.success) {
      recipients.push(parsed.data);
      lines.push(r.line);
    }
  }
  if (errors.length) return { ok: false, errors, total: data.length };

  const duplicates: ImportIssue[] = [];
  const seen = new Map<string, number>();
  for (const e of existing) seen.set(duplicateKey(e), 0);
  recipients.forEach((r, i) => {
    const key = duplicateKey(r);
    if (seen.has(key)) {
      const first = seen.get(key)!;
      duplicates.push({ row: lines[i], message: `“${r.name}” (${KIND_LABELS[r.kind].toLowerCase()}) trùng với ${first ? `dòng ${first}` : "người nhận đã có trong quyết định"}.` });
    } else seen.set(key, lines[i]);
  });
  return { ok: true, recipients, duplicates };
}

/**
 * Checks the file and, only if every row is right, appends all its recipients to the draft
 * decision in one transaction. Duplicates are imported and flagged.
 * @throws AppError 404, 409 (issued decision)
 */
export async function importRecipients(input: { decisionId: number; file: { name: string; bytes: Uint8Array }; actorId: string }, tx: Database = db()): Promise<ImportResult> {
  const decision = await getDecisionRow(input.decisionId, tx);
  if (decision.status !== "draft") throw new AppError(409, "Quyết định đã ban hành: không nhập thêm danh sách được.");
  const existing = await tx
    .select({ kind: commendationRecipients.kind, name: commendationRecipients.name, organization: commendationRecipients.organization })
    .from(commendationRecipients)
    .where(eq(commendationRecipients.decisionId, input.decisionId));
  const parsed = await parseRecipientFile(input.file, existing, tx, decision.signedOn);
  if (!parsed.ok) return parsed;
  await addRecipients({ decisionId: input.decisionId, recipients: parsed.recipients, actorId: input.actorId, source: "import" }, tx);
  return { ok: true, count: parsed.recipients.length, duplicates: parsed.duplicates };
}

/** A cell value safe to put in a spreadsheet: text a spreadsheet would run is quoted with "'". */
export function safeCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** The import template: XLSX (headers, widths, notes, a guide sheet) or CSV (UTF-8 with BOM). */
export async function recipientTemplate(format: "xlsx" | "csv"): Promise<Buffer> {
  if (format === "csv") {
    return Buffer.from(toCsv(IMPORT_COLUMNS.map((c) => c.header), []), "utf-8");
  }
  const wb = new (excel().Workbook)();
  wb.creator = "CNNT Tiêu biểu";
  const ws = wb.addWorksheet("Danh sách");
  ws.columns = IMPORT_COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width }));
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: "frozen", ySplit: 1 }];
  IMPORT_COLUMNS.forEach((c, i) => {
    ws.getCell(1, i + 1).note = c.note;
  });
  const guide = wb.addWorksheet("Hướng dẫn");
  guide.columns = [
    { header: "Cột", key: "col", width: 28 },
    { header: "Cách ghi", key: "how", width: 80 },
  ];
  guide.getRow(1).font = { bold: true };
  for (const c of IMPORT_COLUMNS) guide.addRow({ col: c.header, how: c.note });
  guide.addRow({});
  guide.addRow({ col: "Ví dụ (tập thể)", how: safeCell("Tập thể | Trung tâm Khuyến công tỉnh Ninh Bình | | | Ninh Bình | Đã có thành tích xuất sắc trong công tác khuyến công giai đoạn 2013–2015") });
  guide.addRow({ col: "Ví dụ (cá nhân)", how: safeCell("Cá nhân | Nguyễn Văn A | Phó Giám đốc | Sở Công Thương tỉnh Thái Bình | Thái Bình | Đã có thành tích …") });
  guide.addRow({ col: "Lưu ý", how: "Chỉ đọc trang tính đầu tiên. Không dùng công thức. Tối đa 5.000 dòng. Tệp CSV phải lưu dạng UTF-8." });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
