/**
 * The receipt as a PDF (A4 portrait, as many pages as the list needs), drawn with the same
 * layout elements and Be Vietnam Pro as the certificates. Rendered on request, never stored: the
 * receipt is a view of the stored snapshot, whose hash it prints.
 */
import { formatBytes, formatDateTime } from "../../utils/format";
import { A4_PORTRAIT, BLACK, type Color, type FontName, type LayoutElement, type PageLayout, RED, renderPdfPages, wrapText } from "../../utils/pdf.server";
import type { EntryReceipt } from "./receipt.server";

const { width: W, height: H } = A4_PORTRAIT;
const LEFT = 56;
const RIGHT = W - 56;
const TOP = 60;
const BOTTOM = H - 60;
const MUTED: Color = [0.33, 0.35, 0.37];

/** Builds the pages: text flows down and onto a new page when the current one is full. */
export function receiptLayouts(r: EntryReceipt): PageLayout[] {
  const pages: LayoutElement[][] = [[]];
  let y = TOP;
  const page = () => pages[pages.length - 1];
  const room = (h: number) => {
    if (y + h > BOTTOM) {
      pages.push([]);
      y = TOP;
    }
  };
  const para = (text: string, o: { size?: number; font?: FontName; indent?: number; color?: Color; gap?: number; maxLines?: number } = {}) => {
    const size = o.size ?? 10.5;
    const font = o.font ?? "regular";
    const x = LEFT + (o.indent ?? 0);
    let lines = wrapText(text, font, size, RIGHT - x);
    if (o.maxLines && lines.length > o.maxLines) lines = [...lines.slice(0, o.maxLines - 1), `${lines[o.maxLines - 1]} …`];
    for (const line of lines) {
      room(size * 1.4);
      page().push({ type: "text", text: line, x, y: y + size, size, font, color: o.color ?? BLACK });
      y += size * 1.4;
    }
    y += o.gap ?? 2;
  };
  const labelled = (label: string, value: string) => {
    para(`${label}: ${value || "—"}`, { size: 10.5 });
  };
  const heading = (text: string) => {
    y += 6;
    room(40);
    para(text, { size: 12, font: "bold", color: RED, gap: 4 });
  };

  page().push({ type: "text", text: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", x: W / 2, y: y + 11, size: 11, font: "bold", align: "center" });
  y += 16;
  page().push({ type: "text", text: "Độc lập - Tự do - Hạnh phúc", x: W / 2, y: y + 11, size: 11, font: "bold", align: "center" });
  y += 30;
  page().push({ type: "text", text: "GIẤY BIÊN NHẬN HỒ SƠ", x: W / 2, y: y + 20, size: 20, font: "bold", color: RED, align: "center" });
  y += 30;
  page().push({ type: "text", text: "tham gia bình chọn sản phẩm công nghiệp nông thôn tiêu biểu", x: W / 2, y: y + 11, size: 11, font: "italic", align: "center" });
  y += 30;

  labelled("Đợt bình chọn", r.roundTitle);
  para(`Mã số bình chọn: ${r.code}`, { size: 13, font: "bold", gap: 4 });
  labelled("Thời điểm nộp", `${formatDateTime(r.submittedAt)} (giờ Việt Nam)`);
  labelled("Sản phẩm", r.productName);
  labelled("Nhóm sản phẩm", r.group);
  labelled("Cơ sở", `${r.facilityName}${r.facilityRegistrationNo ? ` (số đăng ký ${r.facilityRegistrationNo})` : ""}`);
  labelled("Tỉnh/thành phố", r.province);

  heading("Thông tin đã khai");
  for (const f of r.fields) para(`${f.label}: ${f.value || "(để trống)"}`, { maxLines: 3 });

  heading(`Ảnh sản phẩm (${r.photos.length})`);
  r.photos.forEach((p, i) => para(`${i + 1}. ${p.name}`));

  heading(`Tài liệu (${r.documents.length})`);
  r.documents.forEach((d, i) => {
    para(`${i + 1}. ${d.name} — ${d.type}${d.sizeBytes ? ` (${formatBytes(d.sizeBytes)})` : ""}`, { gap: 0 });
    if (d.sha256) para(`SHA-256 của tệp: ${d.sha256}`, { size: 8, indent: 14, color: MUTED });
  });

  if (r.lowerCertificate) {
    heading("Giấy chứng nhận cấp dưới");
    para(r.lowerCertificate);
  }

  heading("Mã băm SHA-256 của hồ sơ đã nộp");
  para(r.snapshotSha256, { size: 10, font: "bold", gap: 4 });
  para(
    "Mã băm tính trên bản ghi hồ sơ lưu tại hệ thống lúc nộp (JSON chuẩn hóa). Hội đồng chấm đúng bản hồ sơ này; nếu hồ sơ được nộp lại, hệ thống cấp giấy biên nhận mới với mã băm mới.",
    { size: 9, font: "italic", color: MUTED },
  );

  const total = pages.length;
  return pages.map((elements, i) => ({
    width: W,
    height: H,
    title: `Giấy biên nhận hồ sơ ${r.code}`,
    date: new Date(r.submittedAt),
    elements: [
      ...elements,
      { type: "line", x1: LEFT, y1: H - 44, x2: RIGHT, y2: H - 44, width: 0.5, color: MUTED },
      { type: "text", text: `Giấy biên nhận hồ sơ ${r.code} — CNNT Tiêu biểu`, x: LEFT, y: H - 30, size: 8, font: "regular", color: MUTED },
      { type: "text", text: `Trang ${i + 1}/${total}`, x: RIGHT, y: H - 30, size: 8, font: "regular", color: MUTED, align: "right" },
    ],
  }));
}

export async function renderReceiptPdf(r: EntryReceipt): Promise<Uint8Array> {
  return renderPdfPages(receiptLayouts(r));
}
