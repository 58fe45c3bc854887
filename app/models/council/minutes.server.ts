/**
 * The minutes of the council (biên bản họp hội đồng, issue 14 §2–3): founding decisions, each
 * session's date, place and attendance, the jury's table with the council's vote and reason per
 * candidate, the recommended list, the provisional publication, complaints and their resolution,
 * and the authority's decision. One data function, printed as A4 PDF (pdf.server layouts) and XLSX.
 */
import type ExcelJS from "exceljs";

import { onFirstUse } from "../../utils/on-first-use.server";
import { A4_PORTRAIT, type LayoutElement, type PageLayout, renderPdfPages, wrapText } from "../../utils/pdf.server";
import { listComplaints } from "../results/complaint.server";
import { computeResults } from "../results/results.server";
import { listBodies, listSeats } from "./bodies.server";
import { processOf } from "./process.server";
import { BODY_NAMES, COMPLAINT_STATUS_NAMES, FOLLOW_UP_NAMES, RESCREEN_OUTCOME_NAMES, SEAT_NAMES } from "./session-rules";
import { entryLabels, listSessions, namesOf, votesOf } from "./session.server";

const excel = onFirstUse<typeof ExcelJS>("exceljs");

const vnDate = (d: string | Date | null | undefined) => {
  if (!d) return "—";
  const s = typeof d === "string" && /^\d{4}-\d{2}-\d{2}$/.test(d) ? d : new Date(new Date(d).getTime() + 7 * 3600_000).toISOString().slice(0, 10);
  const [y, m, day] = s.split("-");
  return `${day}/${m}/${y}`;
};
const vnDateTime = (d: Date | string | null | undefined) =>
  d ? `${new Date(new Date(d).getTime() + 7 * 3600_000).toISOString().slice(11, 16)} ${vnDate(d)}` : "—";
const num = (v: number | null | undefined) => (v == null ? "—" : v.toFixed(2).replace(".", ","));

export async function councilMinutesData(roundId: number) {
  const results = await computeResults({ roundId });
  const [bodies, seats, sessions, settings, complaints] = await Promise.all([
    listBodies(roundId),
    listSeats(roundId),
    listSessions(roundId),
    processOf(roundId),
    listComplaints(roundId, {}),
  ]);
  const names = await namesOf(sessions.flatMap((s) => s.presentUserIds));
  const withVotes = await Promise.all(
    sessions.map(async (s) => ({
      ...s,
      presentNames: s.presentUserIds.map((id) => names[id] ?? id),
      absent: seats.filter((m) => !s.presentUserIds.includes(m.userId)).map((m) => m.fullName),
      votes: await votesOf(s.id),
    })),
  );
  const known = new Set(results.entries.map((e) => e.entryId));
  const others = await entryLabels([...new Set(withVotes.flatMap((s) => s.votes.map((v) => v.entryId)).filter((id) => !known.has(id)))]);
  return { round: results.round, entries: results.entries, others, bodies, seats, sessions: withVotes, settings, complaints };
}
export type CouncilMinutes = Awaited<ReturnType<typeof councilMinutesData>>;

/** The minutes as lines (heading / text / table row), shared by the PDF. */
function minuteLines(m: CouncilMinutes): { kind: "h" | "p" | "row"; text: string }[] {
  const out: { kind: "h" | "p" | "row"; text: string }[] = [];
  const byId = new Map(m.entries.map((e) => [e.entryId, e]));
  out.push({ kind: "p", text: `Đợt: ${m.round.title}. Cơ quan tổ chức: ${m.round.authority}.` });
  out.push({ kind: "h", text: "1. Căn cứ thành lập" });
  for (const b of m.bodies) out.push({ kind: "p", text: `${BODY_NAMES[b.kind]}: Quyết định số ${b.decisionNo} ngày ${vnDate(b.decisionDate)}, ${b.decisionSigner}.` });
  if (!m.bodies.length) out.push({ kind: "p", text: "Chưa ghi quyết định thành lập." });
  out.push({ kind: "h", text: `2. Thành phần Hội đồng bình chọn (${m.seats.length} thành viên)` });
  for (const s of m.seats) out.push({ kind: "p", text: `– ${s.fullName}${s.title ? `, ${s.title}` : ""}: ${SEAT_NAMES[s.role]}` });
  for (const s of m.sessions) {
    out.push({ kind: "h", text: `3.${s.seq}. Phiên họp ${s.seq}: ngày ${vnDate(s.heldOn)}, tại ${s.place}` });
    out.push({ kind: "p", text: `Có mặt ${s.presentUserIds.length}/${s.membersTotal} thành viên: ${s.presentNames.join(", ")}.` });
    if (s.absent.length) out.push({ kind: "p", text: `Vắng mặt: ${s.absent.join(", ")}.` });
    out.push({ kind: "p", text: `Quy tắc: túc số trên ${m.settings.quorumPct}% số thành viên; đề nghị công nhận khi đồng ý trên ${m.settings.votePct}% số thành viên dự họp. Điểm đạt ${Number(m.round.passMark)}${m.round.quota ? `, chỉ tiêu ${m.round.quota}` : ""}.` });
    out.push({ kind: "row", text: "Mã | Sản phẩm | Điểm TB | Trung vị | Phiếu BGK | Đồng ý | Không | Kết quả" });
    for (const v of [...s.votes].sort((a, b) => (byId.get(a.entryId)?.rank ?? 1e9) - (byId.get(b.entryId)?.rank ?? 1e9))) {
      const e = byId.get(v.entryId);
      const other = m.others[v.entryId];
      out.push({
        kind: "row",
        text: `${e?.code ?? other?.code ?? v.entryId} | ${e?.productName ?? (other ? `${other.productName} (nay không đủ điều kiện)` : "")} | ${num(e?.mean)} | ${num(e?.median)} | ${e?.n ?? 0} | ${v.yes} | ${v.no} | ${v.approved ? "Đề nghị công nhận" : "Không đề nghị"}${v.reason ? ` – lý do: ${v.reason}` : ""}`,
      });
    }
    const approved = s.votes.filter((v) => v.approved).length;
    out.push({ kind: "p", text: s.closedAt ? `Kết thúc ${vnDateTime(s.closedAt)}: hội đồng đề nghị công nhận ${approved} sản phẩm.` : "Phiên họp chưa kết thúc." });
  }
  out.push({ kind: "h", text: "4. Công khai kết quả dự kiến và khiếu nại" });
  out.push({
    kind: "p",
    text: m.settings.provisionalPublishedAt
      ? `Công khai ngày ${vnDateTime(m.settings.provisionalPublishedAt)}; nhận khiếu nại đến ${vnDateTime(m.settings.complaintsCloseAt)} (${m.settings.complaintDays} ngày).`
      : "Chưa công khai kết quả dự kiến.",
  });
  for (const c of m.complaints)
    out.push({
      kind: "p",
      text: `– ${c.code} (về ${c.subject}, nhận ${vnDateTime(c.filedAt)}): ${COMPLAINT_STATUS_NAMES[c.status]}${c.resolution ? `. ${c.resolution}` : ""}${c.followUp ? ` (${FOLLOW_UP_NAMES[c.followUp]})` : ""}${c.rescreen ? `. Thẩm định lại ${vnDateTime(c.rescreen.decidedAt)}: ${RESCREEN_OUTCOME_NAMES[c.rescreen.outcome]} – ${c.rescreen.note}` : ""}`,
    });
  if (!m.complaints.length && m.settings.provisionalPublishedAt) out.push({ kind: "p", text: "Không có khiếu nại." });
  out.push({ kind: "h", text: "5. Quyết định công nhận" });
  out.push({
    kind: "p",
    text: m.round.decisionNo
      ? `Quyết định số ${m.round.decisionNo} ngày ${vnDate(m.round.decisionDate)}; người ký: ${m.round.decisionSigner ?? ""}${m.round.decisionSignerName ? ` ${m.round.decisionSignerName}` : ""}; công nhận ${m.entries.filter((e) => e.status === "selected").length} sản phẩm.${m.settings.decisionNote ? ` Khác danh sách hội đồng đề nghị: ${m.settings.decisionNote}` : ""}`
      : "Chưa có quyết định công nhận.",
  });
  if (m.round.finalHash) out.push({ kind: "p", text: `Mã băm SHA-256 của bảng điểm cuối: ${m.round.finalHash}` });
  return out;
}

/** The minutes as an A4 PDF (portrait, wrapped lines, page breaks, signature block). */
export async function councilMinutesPdf(m: CouncilMinutes): Promise<Uint8Array> {
  const { width, height } = A4_PORTRAIT;
  const margin = 56;
  const maxW = width - 2 * margin;
  const pages: PageLayout[] = [];
  let els: LayoutElement[] = [];
  let y = margin; // layouts measure y from the top of the page
  const date = m.sessions[0]?.openedAt ?? new Date(0);
  const newPage = () => {
    pages.push({ width, height, title: `Biên bản họp Hội đồng bình chọn – ${m.round.title}`, date, elements: els });
    els = [];
    y = margin;
  };
  const put = (text: string, font: "regular" | "bold" | "italic", size: number, align: "left" | "center" = "left") => {
    for (const line of wrapText(text, font, size, maxW)) {
      if (y > height - margin) newPage();
      els.push({ type: "text", text: line, x: align === "center" ? width / 2 : margin, y, size, font, align });
      y += size * 1.45;
    }
  };
  put("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "bold", 12, "center");
  put("Độc lập – Tự do – Hạnh phúc", "bold", 11, "center");
  y += 10;
  put("BIÊN BẢN HỌP HỘI ĐỒNG BÌNH CHỌN", "bold", 14, "center");
  put("sản phẩm công nghiệp nông thôn tiêu biểu", "italic", 11, "center");
  y += 8;
  for (const l of minuteLines(m)) {
    if (l.kind === "h") {
      y += 4;
      put(l.text, "bold", 11);
    } else put(l.text, "regular", l.kind === "row" ? 8.5 : 10);
  }
  y += 24;
  if (y > height - margin - 80) newPage();
  els.push({ type: "text", text: "THƯ KÝ HỘI ĐỒNG", x: margin + maxW / 4, y, size: 10, font: "bold", align: "center" });
  els.push({ type: "text", text: "CHỦ TỊCH HỘI ĐỒNG", x: margin + (3 * maxW) / 4, y, size: 10, font: "bold", align: "center" });
  y += 14;
  els.push({ type: "text", text: "(Ký, ghi rõ họ tên)", x: margin + maxW / 4, y, size: 9, font: "italic", align: "center" });
  els.push({ type: "text", text: "(Ký, ghi rõ họ tên)", x: margin + (3 * maxW) / 4, y, size: 9, font: "italic", align: "center" });
  newPage();
  return renderPdfPages(pages);
}

/** The minutes as XLSX: sessions (attendance), votes, complaints. */
export async function councilMinutesXlsx(m: CouncilMinutes): Promise<Buffer> {
  const wb = new (excel().Workbook)();
  const byId = new Map(m.entries.map((e) => [e.entryId, e]));
  const s1 = wb.addWorksheet("Phiên họp");
  s1.addRow(["Phiên", "Ngày họp", "Địa điểm", "Có mặt", "Tổng số thành viên", "Thành viên có mặt", "Vắng mặt", "Kết thúc"]);
  for (const s of m.sessions) s1.addRow([s.seq, vnDate(s.heldOn), s.place, s.presentUserIds.length, s.membersTotal, s.presentNames.join(", "), s.absent.join(", "), vnDateTime(s.closedAt)]);
  const s2 = wb.addWorksheet("Biểu quyết");
  s2.addRow(["Phiên", "Mã hồ sơ", "Sản phẩm", "Điểm TB", "Trung vị", "Số phiếu BGK", "Đồng ý", "Không đồng ý", "Kết quả", "Lý do"]);
  for (const s of m.sessions)
    for (const v of s.votes) {
      const e = byId.get(v.entryId);
      const other = m.others[v.entryId];
      s2.addRow([s.seq, e?.code ?? other?.code ?? "", e?.productName ?? (other ? `${other.productName} (nay không đủ điều kiện)` : ""), e?.mean ?? null, e?.median ?? null, e?.n ?? 0, v.yes, v.no, v.approved ? "Đề nghị công nhận" : "Không đề nghị", v.reason ?? ""]);
    }
  const s3 = wb.addWorksheet("Khiếu nại");
  s3.addRow(["Mã", "Về", "Ngày nhận", "Tình trạng", "Giải quyết", "Xử lý tiếp theo", "Thẩm định lại"]);
  for (const c of m.complaints)
    s3.addRow([
      c.code,
      c.subject,
      vnDateTime(c.filedAt),
      COMPLAINT_STATUS_NAMES[c.status],
      c.resolution ?? "",
      c.followUp ? FOLLOW_UP_NAMES[c.followUp] : "",
      c.rescreen ? `${RESCREEN_OUTCOME_NAMES[c.rescreen.outcome]}: ${c.rescreen.note}` : "",
    ]);
  for (const ws of [s1, s2, s3]) ws.getRow(1).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
