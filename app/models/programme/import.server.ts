/**
 * The XLSX side of the programme: the template a provincial officer fills in, the import (every
 * row checked, all or nothing) and the report's XLSX export.
 */
import type ExcelJS from "exceljs";
import type JSZip from "jszip";

import { checkFigure, type FigureRowInput } from "../../schemas/programme";
import { AppError } from "../../utils/errors";
import { onFirstUse } from "../../utils/on-first-use.server";
import { slugVi } from "../../utils/vi-text";
import { unpacksWithin } from "../../utils/zip-budget.server";
import { eraOf, provinceEraProblem } from "../round/territory-rules";
import { provinceReference } from "../round/territory.server";
import { oldEraName } from "../shared/province-rules";
import { type Actor, getProvinceFigures, listIndicators, provincesInScope, saveFigures } from "./programme.server";
import type { ProgrammeReport } from "./report.server";
import { periodEndDay, periodLabel } from "./rules";

const excel = onFirstUse<typeof ExcelJS>("exceljs");
const jszip = onFirstUse<typeof JSZip>("jszip");

export const XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 5000;
export const MAX_UNPACKED_BYTES = 50 * 1024 * 1024;

const HEADERS = ["Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị", "Mã tỉnh", "Tỉnh/thành phố", "Kế hoạch", "Thực hiện"] as const;

/** "Ninh Bình" and "ninh-binh" both → "ninh-binh" (the 2016 province codes are slugs of the names). */
function slug(text: string): string {
  return slugVi(text.replace(/^(TP\.|Thành phố|Tỉnh)\s*/i, ""));
}

function fold(text: string) {
  return slug(text).replace(/-/g, " ");
}

/** A cell as the person sees it: a number, a string, or nothing (formulas give their result). */
function cellValue(v: ExcelJS.CellValue): string | number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "number" || typeof v === "string") return v;
  if (typeof v === "boolean") return String(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === "object") {
    if ("result" in v) return cellValue((v as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
    if ("richText" in v) return (v as ExcelJS.CellRichTextValue).richText.map((r) => r.text).join("");
    if ("text" in v) return String((v as ExcelJS.CellHyperlinkValue).text);
    if ("error" in v) return String((v as ExcelJS.CellErrorValue).error);
  }
  return String(v);
}

const text = (v: string | number | null) => (v === null ? "" : String(v).trim());

/** The template for an actor's provinces, pre-filled with what is stored for the period. */
export async function buildTemplate(input: { actor: Actor; year: number; periodMonths: number }): Promise<Buffer> {
  const list = await provincesInScope(input.actor, input);
  const workbook = new (excel().Workbook)();
  workbook.creator = "CNNT Tiêu biểu";
  const sheet = workbook.addWorksheet("So lieu");
  sheet.columns = [{ width: 18 }, { width: 60 }, { width: 14 }, { width: 16 }, { width: 20 }, { width: 14 }, { width: 14 }];
  sheet.addRow([...HEADERS]).font = { bold: true };
  for (const p of list) {
    const figures = await getProvinceFigures({ actor: input.actor, provinceCode: p.code, year: input.year, periodMonths: input.periodMonths });
    for (const r of figures.rows) sheet.addRow([r.code, r.name, r.unit, p.code, p.name, r.plan, r.actual]);
  }
  sheet.views = [{ state: "frozen", ySplit: 1 }];
  const help = workbook.addWorksheet("Huong dan");
  help.columns = [{ width: 110 }];
  for (const line of [
    `Số liệu khuyến công năm ${input.year}, kỳ: ${periodLabel(input.periodMonths)} (chọn năm và kỳ khi nhập tệp).`,
    "Điền cột Kế hoạch và Thực hiện; giữ nguyên Mã chỉ tiêu và Mã tỉnh (hoặc ghi tên tỉnh).",
    "Số viết kiểu Việt Nam (4.875; 7.456,43) hoặc kiểu quốc tế (4875; 7456.43) đều được; không nhập số âm.",
    "Ô để trống: giữ nguyên số đã có. Tệp có bất kỳ dòng lỗi nào thì không dòng nào được nhập.",
  ]) {
    help.addRow([line]);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export interface ImportRowError {
  row: number;
  message: string;
}

/**
 * Reads an uploaded workbook and saves its figures as submitted for approval — all rows or none.
 * @throws AppError 400 listing each row's error (fields `row-<n>`) when any row is wrong: unknown
 * indicator code or province, a province outside the actor's scope, a negative or non-numeric
 * figure, a duplicate row; 400 for a file that is not a workbook or has no header row.
 */
export async function importFigures(input: { actor: Actor; year: number; periodMonths: number; file: ArrayBuffer | Buffer }) {
  // A zip bomb is refused before anything is unpacked.
  let zip: JSZip;
  try {
    zip = await jszip().loadAsync(input.file);
  } catch {
    throw new AppError(400, "Tệp không phải là bảng tính Excel (.xlsx) hợp lệ. Hãy tải mẫu, điền số liệu và lưu dạng .xlsx.");
  }
  if (!(await unpacksWithin(zip, MAX_UNPACKED_BYTES))) {
    throw new AppError(400, `Bảng tính giải nén ra quá lớn (hơn ${MAX_UNPACKED_BYTES / 1048576} MB); tối đa ${MAX_UNPACKED_BYTES / 1048576} MB.`);
  }
  const workbook = new (excel().Workbook)();
  try {
    await workbook.xlsx.load(input.file as ArrayBuffer);
  } catch {
    throw new AppError(400, "Tệp không phải là bảng tính Excel (.xlsx) hợp lệ. Hãy tải mẫu, điền số liệu và lưu dạng .xlsx.");
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new AppError(400, "Tệp không có trang tính nào.");

  // The header row: the first row (of the first ten) that names "Mã chỉ tiêu".
  let headerRow = 0;
  const col: Record<string, number> = {};
  for (let r = 1; r <= Math.min(10, sheet.rowCount) && !headerRow; r++) {
    const row = sheet.getRow(r);
    row.eachCell((cell, c) => {
      const h = fold(text(cellValue(cell.value)));
      if (h === "ma chi tieu") col.indicator = c;
      else if (h === "ma tinh") col.province = c;
      else if (h === "tinh thanh pho" || h === "tinh") col.provinceName = c;
      else if (h === "ke hoach") col.plan = c;
      else if (h === "thuc hien") col.actual = c;
    });
    if (col.indicator) headerRow = r;
  }
  if (!headerRow || !(col.province || col.provinceName) || !(col.plan || col.actual)) {
    throw new AppError(400, `Không tìm thấy dòng tiêu đề (${HEADERS.join(", ")}). Hãy dùng tệp mẫu.`);
  }
  if (sheet.rowCount - headerRow > MAX_IMPORT_ROWS) throw new AppError(400, `Tệp có quá nhiều dòng (tối đa ${MAX_IMPORT_ROWS}).`);

  const [indicators, allowed, ref] = await Promise.all([
    listIndicators({ activeOnly: true }),
    provincesInScope(input.actor, input),
    provinceReference(),
  ]);
  const indicatorCodes = new Set(indicators.map((i) => i.code));
  const allowedCodes = new Set(allowed.map((p) => p.code));
  // Names and codes of the period's era; those of the other era are refused with the reason.
  const day = periodEndDay(input.year, input.periodMonths);
  const era = eraOf(day);
  const known = new Map<string, string>();
  const other = new Map<string, string>();
  for (const [code, p] of ref.old) for (const k of [code, slug(p.name), slug(oldEraName(code, p.name, day))]) (era === "2016" ? known : other).set(k, code);
  for (const [code, p] of ref.current) for (const k of [code, slug(p.name)]) (era === "2025" ? known : other).set(k, code);

  const rows: FigureRowInput[] = [];
  const errors: ImportRowError[] = [];
  const seen = new Map<string, number>();
  for (let r = headerRow + 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const get = (c: number | undefined) => (c ? cellValue(row.getCell(c).value) : null);
    const indicator = text(get(col.indicator)).toUpperCase();
    const provinceText = text(get(col.province)) || text(get(col.provinceName));
    const planCell = get(col.plan);
    const actualCell = get(col.actual);
    if (!indicator && !provinceText && text(planCell) === "" && text(actualCell) === "") continue; // blank line
    const rowErrors: string[] = [];
    if (!indicator) rowErrors.push("thiếu mã chỉ tiêu");
    else if (!indicatorCodes.has(indicator)) rowErrors.push(`mã chỉ tiêu “${indicator.slice(0, 40)}” không có trong danh mục`);
    const provinceCode = provinceText ? known.get(slug(provinceText)) : undefined;
    const otherCode = provinceText && !provinceCode ? other.get(slug(provinceText)) : undefined;
    if (!provinceText) rowErrors.push("thiếu mã tỉnh");
    else if (otherCode) rowErrors.push(provinceEraProblem(otherCode, day, ref) ?? "tỉnh không thuộc danh mục của kỳ này");
    else if (!provinceCode)
      rowErrors.push(`tỉnh “${provinceText.slice(0, 40)}” không có trong danh mục ${era === "2016" ? "63 tỉnh/thành phố (trước 01/07/2025)" : "34 tỉnh/thành phố (từ 01/07/2025)"}`);
    else if (!allowedCodes.has(provinceCode)) rowErrors.push(`tỉnh “${provinceText.slice(0, 40)}” ngoài phạm vi của bạn`);
    const plan = checkFigure(planCell, "kế hoạch");
    const actual = checkFigure(actualCell, "thực hiện");
    if (!plan.ok) rowErrors.push(plan.message);
    if (!actual.ok) rowErrors.push(actual.message);
    if (provinceCode && indicator) {
      const k = `${indicator}|${provinceCode}`;
      const first = seen.get(k);
      if (first) rowErrors.push(`trùng với dòng ${first}`);
      else seen.set(k, r);
    }
    if (rowErrors.length) {
      errors.push({ row: r, message: rowErrors.join("; ") });
      continue;
    }
    if (plan.ok && actual.ok && (plan.value !== null || actual.value !== null)) {
      // An empty cell keeps the stored value (an import of actuals keeps the plan).
      rows.push({ indicatorCode: indicator, provinceCode: provinceCode!, plan: plan.value ?? undefined, actual: actual.value ?? undefined });
    }
  }
  if (errors.length) {
    const fields: Record<string, string> = {};
    for (const e of errors.slice(0, 200)) fields[`row-${e.row}`] = `Dòng ${e.row}: ${e.message.replace(/[.\s]+$/, "")}.`; // one full stop, never ".."
    throw new AppError(400, `Tệp có ${errors.length} dòng lỗi nên chưa nhập dòng nào. Sửa các dòng dưới đây rồi nhập lại.`, fields);
  }
  if (rows.length === 0) throw new AppError(400, "Tệp không có dòng số liệu nào.");
  const result = await saveFigures({ actor: input.actor, year: input.year, periodMonths: input.periodMonths, rows, submit: true, source: "import" });
  return { rows: rows.length, ...result };
}

/** The report as a workbook: the totals, then each province's figures, with the same numbers. */
export async function reportWorkbook(report: ProgrammeReport): Promise<Buffer> {
  const workbook = new (excel().Workbook)();
  workbook.creator = "CNNT Tiêu biểu";
  const title = `Kết quả chương trình khuyến công — ${report.region.name} — ${periodLabel(report.periodMonths)} ${report.year}`;
  const summary = workbook.addWorksheet("Tong hop");
  summary.columns = [{ width: 18 }, { width: 60 }, { width: 14 }, { width: 14 }, { width: 14 }, { width: 12 }];
  summary.addRow([title]).font = { bold: true };
  summary.addRow([]);
  summary.addRow(["Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị", "Kế hoạch", "Thực hiện", "% kế hoạch"]).font = { bold: true };
  for (const i of report.indicators) {
    summary.addRow([i.code, i.name, i.unit, i.plan, i.actual, i.percentOfPlan === null ? null : i.percentOfPlan / 100]);
  }
  const detail = workbook.addWorksheet("Theo tinh");
  detail.columns = [{ width: 18 }, { width: 50 }, { width: 20 }, { width: 14 }, { width: 14 }, { width: 12 }];
  detail.addRow(["Mã chỉ tiêu", "Chỉ tiêu", "Tỉnh/thành phố", "Kế hoạch", "Thực hiện", "% kế hoạch"]).font = { bold: true };
  for (const i of report.indicators) {
    for (const p of i.byPlace) detail.addRow([i.code, i.name, p.name, p.plan, p.actual, p.percentOfPlan === null ? null : p.percentOfPlan / 100]);
  }
  for (const sheet of [summary, detail]) {
    sheet.getColumn(4).numFmt = "#,##0.##";
    sheet.getColumn(5).numFmt = "#,##0.##";
    sheet.getColumn(6).numFmt = "0.00%";
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
