/**
 * The list of a round's recognised products as files: CSV (UTF-8 with BOM so Excel reads the
 * Vietnamese) and XLSX (exceljs).
 */
import type ExcelJS from "exceljs";

import { toCsv } from "../../utils/csv";
import { formatDateLine } from "../../utils/format";
import { onFirstUse } from "../../utils/on-first-use.server";
import type { PublishedRound, Winner } from "../public/catalogue.server";

const excel = onFirstUse<typeof ExcelJS>("exceljs");

const HEADERS = ["Hạng", "Tên sản phẩm", "Nhóm", "Tên nhóm", "Cơ sở", "Tỉnh (thời điểm công nhận)", "Tỉnh (từ 01/7/2025)", "Điểm bình quân", "Số giấy chứng nhận", "Mã xác minh"];

function row(w: Winner): (string | number | null)[] {
  return [w.rank, w.productName, w.groupNo, w.groupName, w.facilityName, w.provinceName, w.currentProvinceName, w.meanScore, w.certificate?.serial ?? "", w.certificate?.code ?? ""];
}

/** CSV through the one writer (formula guard, BOM, CRLF). */
export function winnersCsv(winners: Winner[]): string {
  return toCsv(HEADERS, winners.map(row));
}

export async function winnersXlsx(round: PublishedRound, winners: Winner[]): Promise<Buffer> {
  const book = new (excel().Workbook)();
  book.creator = "CNNT Tiêu biểu";
  const sheet = book.addWorksheet("Danh sách", { views: [{ state: "frozen", ySplit: 3 }] });
  sheet.addRow([round.title]).font = { bold: true, size: 13 };
  sheet.addRow([round.decisionNo ? `Quyết định số ${round.decisionNo}${round.decisionDate ? `, ${formatDateLine(round.decisionDate)}` : ""} — ${round.authority}` : round.authority]);
  const header = sheet.addRow(HEADERS);
  header.font = { bold: true };
  for (const w of winners) sheet.addRow(row(w));
  const widths = [7, 40, 7, 30, 40, 22, 22, 14, 20, 18];
  widths.forEach((w, i) => (sheet.getColumn(i + 1).width = w));
  sheet.getColumn(8).numFmt = "0.00";
  return Buffer.from(await book.xlsx.writeBuffer());
}
