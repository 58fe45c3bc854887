/**
 * The cover letter (công văn) a provincial People's Committee sends with its nominations, as the
 * demo's scanned PDF: rendered with pdf-lib through the app's page layout (app/utils/pdf.server.ts,
 * Be Vietnam Pro embedded), then stored by the nomination model through the real storage path.
 * The layout follows the administrative letter form (NĐ 30/2020): issuer and number on the left,
 * the national name and the dated place on the right, "V/v", "Kính gửi", body, summary list,
 * signature block and "Nơi nhận". Marked as illustrative at the foot of the page.
 */
import { formatDateLine } from "../../app/utils/format";
import { A4_PORTRAIT, BLACK, type LayoutElement, renderPdf, wrapText } from "../../app/utils/pdf.server";

export interface DemoLetter {
  /** "tỉnh Ninh Bình", "thành phố Hà Nội". */
  unit: string;
  /** Place name of the date line ("Ninh Bình", "Hà Nội"). */
  place: string;
  letterNo: string;
  letterDate: string;
  /** The provincial recognition decision the products come from. */
  decisionNo: string;
  decisionDate: string;
  addressee: string;
  roundTitle: string;
  signerName: string;
  items: { productName: string; facilityName: string; groupNo: number; score: string | null; serial: string | null }[];
}

export async function demoLetterPdf(l: DemoLetter): Promise<Buffer> {
  const { width, height } = A4_PORTRAIT;
  const el: LayoutElement[] = [];
  const text = (t: string, x: number, y: number, size: number, font: "regular" | "bold" | "italic" = "regular", align: "left" | "center" | "right" = "left") =>
    el.push({ type: "text", text: t, x, y, size, font, align, color: BLACK });
  const left = 60;
  const right = width - 50;
  const leftCol = 165;
  const rightCol = 400;
  text("ỦY BAN NHÂN DÂN", leftCol, 60, 11, "regular", "center");
  text(l.unit.toUpperCase(), leftCol, 75, 11, "bold", "center");
  el.push({ type: "line", x1: leftCol - 30, y1: 80, x2: leftCol + 30, y2: 80, width: 0.6 });
  text(`Số: ${l.letterNo}`, leftCol, 98, 11, "regular", "center");
  let y = 114;
  for (const line of wrapText(`V/v đề nghị tham gia ${l.roundTitle.replace(/^Bình chọn/, "bình chọn")}`, "regular", 9.5, 200)) {
    text(line, leftCol, y, 9.5, "regular", "center");
    y += 12;
  }
  text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", rightCol, 60, 11, "bold", "center");
  text("Độc lập - Tự do - Hạnh phúc", rightCol, 75, 11.5, "bold", "center");
  el.push({ type: "line", x1: rightCol - 78, y1: 80, x2: rightCol + 78, y2: 80, width: 0.6 });
  text(`${l.place}, ${formatDateLine(l.letterDate)}`, rightCol, 98, 11, "italic", "center");

  y = Math.max(y, 130) + 18;
  text(`Kính gửi: ${l.addressee}.`, width / 2, y, 12, "regular", "center");
  y += 28;
  const body =
    `Thực hiện Thông tư số 26/2014/TT-BCT ngày 28/8/2014 của Bộ Công Thương quy định về việc tổ chức bình chọn sản phẩm công nghiệp nông thôn tiêu biểu; ` +
    `căn cứ Quyết định số ${l.decisionNo} ngày ${l.decisionDate.split("-").reverse().join("/")} của Ủy ban nhân dân ${l.unit} về việc công nhận sản phẩm công nghiệp nông thôn tiêu biểu cấp tỉnh năm ${l.letterDate.slice(0, 4)}, ` +
    `Ủy ban nhân dân ${l.unit} đề nghị ${l.addressee} xem xét, bình chọn ${l.items.length} sản phẩm sau đây (hồ sơ của từng cơ sở được nộp trên hệ thống):`;
  for (const line of wrapText(body, "regular", 11.5, right - left - 20)) {
    text(line, left + 20, y, 11.5);
    y += 16;
  }
  y += 8;
  const cols = [left, left + 24, left + 170, left + 318, left + 352, left + 392];
  const heads = ["TT", "Sản phẩm", "Cơ sở sản xuất", "Nhóm", "Điểm", "Số giấy chứng nhận"];
  el.push({ type: "rect", x: left, y: y - 12, width: right - left, height: 18, stroke: BLACK, strokeWidth: 0.6 });
  heads.forEach((h, i) => text(h, cols[i] + 4, y + 1, 8.5, "bold"));
  for (const x of cols.slice(1)) el.push({ type: "line", x1: x, y1: y - 12, x2: x, y2: y + 6, width: 0.6 });
  y += 6;
  for (const [i, it] of l.items.entries()) {
    const product = wrapText(it.productName, "regular", 9, cols[2] - cols[1] - 8);
    const facility = wrapText(it.facilityName, "regular", 9, cols[3] - cols[2] - 8);
    const lines = Math.max(product.length, facility.length);
    const h = lines * 11 + 7;
    el.push({ type: "rect", x: left, y, width: right - left, height: h, stroke: BLACK, strokeWidth: 0.4 });
    const base = y + 12;
    text(String(i + 1), cols[0] + 4, base, 9);
    product.forEach((t, k) => text(t, cols[1] + 4, base + k * 11, 9));
    facility.forEach((t, k) => text(t, cols[2] + 4, base + k * 11, 9));
    text(String(it.groupNo), cols[3] + 4, base, 9);
    text(it.score ? Number(it.score).toLocaleString("vi-VN", { maximumFractionDigits: 2 }) : "—", cols[4] + 4, base, 9);
    text(it.serial ?? "—", cols[5] + 4, base, 8.5);
    for (const x of cols.slice(1)) el.push({ type: "line", x1: x, y1: y, x2: x, y2: y + h, width: 0.4 });
    y += h;
  }
  y += 22;
  for (const line of wrapText(`Ủy ban nhân dân ${l.unit} đề nghị ${l.addressee} xem xét, tổng hợp./.`, "regular", 11.5, right - left - 20)) {
    text(line, left + 20, y, 11.5);
    y += 16;
  }
  y += 14;
  const sign = rightCol + 10;
  text("TM. ỦY BAN NHÂN DÂN", sign, y, 11, "bold", "center");
  text("KT. CHỦ TỊCH", sign, y + 14, 11, "bold", "center");
  text("PHÓ CHỦ TỊCH", sign, y + 28, 11, "bold", "center");
  text("(đã ký)", sign, y + 62, 10, "italic", "center");
  text(l.signerName, sign, y + 96, 11.5, "bold", "center");
  text("Nơi nhận:", left, y, 10, "italic");
  ["- Như trên;", "- Sở Công Thương;", "- Các cơ sở có sản phẩm được đề nghị;", "- Lưu: VT, KT."].forEach((t, k) => text(t, left, y + 14 + k * 12, 9));
  text("Bản minh họa — dữ liệu mẫu của nền tảng CNNT Tiêu biểu, không phải văn bản thật.", width / 2, height - 30, 8.5, "italic", "center");
  return Buffer.from(
    await renderPdf({ width, height, title: `Công văn ${l.letterNo}`, date: new Date(`${l.letterDate}T08:00:00+07:00`), elements: el }),
  );
}
