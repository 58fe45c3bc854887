/**
 * Commendation fixtures: a ministry officer, decisions (draft or issued) with recipients built
 * through the model, and recipients files (CSV/XLSX) for the import.
 */
import ExcelJS from "exceljs";

import { addRecipients, createDecision, issueDecision } from "../../app/models/commendation/commendation.server";
import { IMPORT_COLUMNS } from "../../app/models/commendation/recipient-import.server";
import { DecisionSchema, type RecipientInput } from "../../app/schemas/commendation";
import { createTestUser } from "./index";

let seq = 1000;

export async function createOfficer() {
  return createTestUser({ roles: ["ministry"], fullName: "Trần Thị Khen" });
}

export function decisionForm(overrides: Record<string, string | number> = {}) {
  seq++;
  return {
    number: `${seq}/QĐ-BCT`,
    signedOn: "2016-10-07",
    signerName: "Trần Tuấn Anh",
    signerTitle: "Bộ trưởng Bộ Công Thương",
    authority: "Bộ Công Thương",
    periodFrom: "2013",
    periodTo: "2015",
    reason: "Đã có thành tích xuất sắc trong công tác khuyến công giai đoạn 2013–2015",
    ...overrides,
  };
}

export const SAMPLE_RECIPIENTS: RecipientInput[] = [
  { kind: "collective", name: "Sở Công Thương tỉnh Ninh Bình", position: "", organization: "", provinceCode: null, achievement: "Đã có thành tích xuất sắc trong công tác khuyến công giai đoạn 2013–2015" },
  { kind: "individual", name: "Nguyễn Thị Hường", position: "Phó Giám đốc", organization: "Trung tâm Khuyến công tỉnh Thái Bình", provinceCode: null, achievement: "Đã có thành tích xuất sắc trong công tác khuyến công giai đoạn 2013–2015" },
  { kind: "individual", name: "Đặng Văn Lực", position: "Chuyên viên", organization: "Sở Công Thương tỉnh Bắc Ninh", provinceCode: null, achievement: "Đã có thành tích xuất sắc trong công tác khuyến công giai đoạn 2013–2015" },
];

export async function createTestDecision(options: { actorId: string; recipients?: RecipientInput[] | number; issue?: boolean; overrides?: Record<string, string | number> }) {
  const data = DecisionSchema.parse(decisionForm(options.overrides));
  const decision = await createDecision({ data, actorId: options.actorId });
  let list: RecipientInput[] = [];
  if (typeof options.recipients === "number") {
    list = Array.from({ length: options.recipients }, (_, i) => ({ ...SAMPLE_RECIPIENTS[i % 3], name: `${SAMPLE_RECIPIENTS[i % 3].name} ${i + 1}` }));
  } else list = options.recipients ?? SAMPLE_RECIPIENTS;
  if (list.length) await addRecipients({ decisionId: decision.id, recipients: list, actorId: options.actorId });
  if (options.issue) await issueDecision({ id: decision.id, actorId: options.actorId });
  return decision;
}

export const HEADERS = IMPORT_COLUMNS.map((c) => c.header);

const quote = (v: string) => (/[",;\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** A CSV file (UTF-8, with a BOM unless told otherwise). */
export function csvFile(rows: string[][], options: { bom?: boolean; name?: string; header?: string[] } = {}): File {
  const lines = [options.header ?? HEADERS, ...rows].map((r) => r.map(quote).join(",")).join("\r\n");
  const text = (options.bom === false ? "" : "\uFEFF") + lines + "\r\n";
  return new File([text], options.name ?? "danh-sach.csv", { type: "text/csv" });
}

export async function xlsxFile(rows: (string | number | { formula: string; result?: string })[][], options: { name?: string; header?: string[] } = {}): Promise<File> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("Danh sách");
  ws.addRow(options.header ?? HEADERS);
  for (const r of rows) ws.addRow(r as ExcelJS.CellValue[]);
  const buf = await wb.xlsx.writeBuffer();
  return new File([buf], options.name ?? "danh-sach.xlsx", { type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" });
}

export const GOOD_ROWS: string[][] = [
  ["Tập thể", "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp tỉnh Ninh Bình", "", "", "Ninh Bình", "Đã có thành tích xuất sắc trong công tác khuyến công giai đoạn 2013–2015"],
  ["Cá nhân", "Nguyễn Thị Thủy", "Phó Giám đốc", "Sở Công Thương tỉnh Thái Bình", "Thái Bình", "Đã có thành tích xuất sắc trong công tác khuyến công giai đoạn 2013–2015"],
  ["Cá nhân", "Đỗ Quang Hưng", "Trưởng phòng Quản lý công nghiệp", "Sở Công Thương tỉnh Nam Định", "Nam Định", "Đã có thành tích xuất sắc trong công tác khuyến công giai đoạn 2013–2015"],
];
