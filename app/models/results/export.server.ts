/**
 * Records of a round as files: the result table and every juror's score sheets, as XLSX (exceljs)
 * or CSV (UTF-8 with BOM so Excel reads the diacritics), with Vietnamese headers.
 */
import { asc, sql } from "drizzle-orm";
import type ExcelJS from "exceljs";

import { productGroups } from "../../../db/schema";
import { type Cell, toCsv } from "../../utils/csv";
import { db, rowsOf } from "../../utils/db.server";
import { formatDateTimeCell } from "../../utils/format";
import { onFirstUse } from "../../utils/on-first-use.server";
import { rubricLeaves } from "../round/rubric-rules";
import { getRubric, getRubricLeaves, groupsWithOwnRubric } from "../round/rubric.server";
import { computeResults } from "./results.server";

const excel = onFirstUse<typeof ExcelJS>("exceljs");

interface Table {
  name: string;
  headers: string[];
  rows: Cell[][];
}

export async function resultTable(roundId: number): Promise<Table> {
  const r = await computeResults({ roundId });
  const groups = await db().select().from(productGroups).orderBy(asc(productGroups.no));
  const groupName = new Map(groups.map((g) => [g.no, g.name]));
  const round2 = (v: number | null) => (v == null ? null : Math.round(v * 1000) / 1000);
  return {
    name: "Kết quả",
    headers: [
      "Hạng",
      "Mã số",
      "Tên sản phẩm",
      "Cơ sở",
      "Tỉnh",
      "Nhóm",
      "Hạng trong nhóm",
      "Số phiếu",
      "Điểm trung bình",
      "Trung vị",
      "Thấp nhất",
      "Cao nhất",
      "Độ lệch chuẩn",
      "Đạt",
      "Được công nhận",
      "Đồng điểm tại ranh giới",
      "Giám khảo chênh lệch lớn",
      "Phiếu không tính (lý do)",
    ],
    rows: r.entries.map((e) => [
      e.rank,
      e.code,
      e.productName,
      e.facilityName,
      e.provinceName,
      `${e.groupNo}. ${groupName.get(e.groupNo) ?? ""}`,
      e.groupRank,
      e.n,
      round2(e.mean),
      e.median,
      e.min,
      e.max,
      round2(e.stdDev),
      e.passed ? "Có" : "Không",
      e.selected ? "Có" : "Không",
      e.tiedAtBoundary ? "Có" : "",
      e.disagreement ? "Có" : "",
      e.excludedNote,
    ]),
  };
}

/**
 * One row per sheet: juror, entry, status, each leaf criterion's points, total, comment. The default
 * set's leaves come first, then those of each product group with its own set ("Nhóm 2 · 1.1.a"); a
 * sheet has points only in the columns of the set its entry was scored by.
 */
export async function sheetTable(roundId: number): Promise<Table> {
  const groups = await groupsWithOwnRubric(roundId);
  const leaves = [
    ...(await getRubricLeaves(roundId)).map((l) => ({ ...l, label: l.code })),
    ...(
      await Promise.all(
        groups.map(async (g) =>
          rubricLeaves(await getRubric(roundId, db(), g)).map((l) => ({ ...l, label: `Nhóm ${g} · ${l.code}` })),
        ),
      )
    ).flat(),
  ];
  const sheets = rowsOf<{
    id: number;
    juror: string;
    code: string | null;
    product: string;
    status: string;
    total: string;
    comment: string;
    submitted_at: Date | string | null;
  }>(
    await db().execute(sql`
      select s.id, u.full_name as juror, e.code, p.name as product, s.status, s.total::text as total, s.comment, s.submitted_at
      from score_sheets s join users u on u.id = s.juror_id join entries e on e.id = s.entry_id join products p on p.id = e.product_id
      where s.round_id = ${roundId} order by u.full_name, e.code, s.id`),
  );
  const points = rowsOf<{ sheet_id: number; criterion_id: number; points: string }>(
    await db().execute(
      sql`select sc.sheet_id, sc.criterion_id, sc.points::text as points from scores sc join score_sheets s on s.id = sc.sheet_id where s.round_id = ${roundId}`,
    ),
  );
  const byKey = new Map(points.map((p) => [`${p.sheet_id}:${p.criterion_id}`, Number(p.points)]));
  return {
    name: "Phiếu chấm",
    headers: [
      "Giám khảo",
      "Mã số",
      "Tên sản phẩm",
      "Trạng thái",
      "Thời điểm nộp (giờ Việt Nam)",
      ...leaves.map((l) => `${l.label} (tối đa ${String(l.maxPoints).replace(".", ",")})`),
      "Tổng điểm",
      "Nhận xét",
    ],
    rows: sheets.map((s) => [
      s.juror,
      s.code,
      s.product,
      s.status === "submitted" ? "Đã nộp" : "Nháp",
      formatDateTimeCell(s.submitted_at) || null,
      ...leaves.map((l) => byKey.get(`${s.id}:${l.id}`) ?? null),
      Number(s.total),
      s.comment,
    ]),
  };
}

export async function toXlsx(tables: Table[], title: string): Promise<Buffer> {
  const wb = new (excel().Workbook)();
  wb.creator = "CNNT Tiêu biểu";
  wb.title = title;
  for (const t of tables) {
    const ws = wb.addWorksheet(t.name);
    ws.addRow(t.headers).font = { bold: true };
    for (const r of t.rows) ws.addRow(r);
    ws.columns.forEach((c, i) => {
      c.width = Math.min(50, Math.max(8, t.headers[i].length + 2));
    });
    ws.views = [{ state: "frozen", ySplit: 1 }];
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function exportRound(input: { roundId: number; slug: string; table: "results" | "sheets"; format: "xlsx" | "csv" }) {
  const table = input.table === "results" ? await resultTable(input.roundId) : await sheetTable(input.roundId);
  const base = `${input.slug}-${input.table === "results" ? "ket-qua" : "phieu-cham"}`;
  if (input.format === "csv")
    return { body: toCsv(table.headers, table.rows), type: "text/csv; charset=utf-8", filename: `${base}.csv` };
  return {
    body: await toXlsx([table], base),
    type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    filename: `${base}.xlsx`,
  };
}
