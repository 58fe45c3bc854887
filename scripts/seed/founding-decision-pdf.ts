/**
 * A founding decision of the 2016 demo round's jury or council as a one-page A4 PDF (pdf-lib through
 * app/utils/pdf.server.ts, Be Vietnam Pro embedded), laid out as a state decision: issuer and
 * national motto, number and place-date line, title, articles listing the members, signature block.
 * The demo stores it through the real upload pipeline (saveBodyDecision). The wording and the
 * names are illustrative.
 */
import { formatDateLine } from "../../app/utils/format";
import { A4_PORTRAIT, type LayoutElement, renderPdfPages, wrapText } from "../../app/utils/pdf.server";

export async function foundingDecisionPdf(input: {
  kind: "jury" | "council";
  decisionNo: string;
  decisionDate: string;
  roundTitle: string;
  signerTitle: string;
  signerName: string;
  members: { name: string; role: string }[];
}): Promise<Buffer> {
  const { width, height } = A4_PORTRAIT;
  const margin = 62;
  const maxW = width - 2 * margin;
  const els: LayoutElement[] = [];
  let y = 64;
  const text = (t: string, x: number, font: "regular" | "bold" | "italic", size: number, align: "left" | "center" = "center") =>
    els.push({ type: "text", text: t, x, y, size, font, align });
  const para = (t: string, font: "regular" | "bold" | "italic" = "regular", size = 11.5, indent = 0) => {
    for (const line of wrapText(t, font, size, maxW - indent)) {
      els.push({ type: "text", text: line, x: margin + indent, y, size, font });
      y += size * 1.5;
    }
  };
  const left = margin + 95;
  const right = width - margin - 130;
  text("BỘ CÔNG THƯƠNG", left, "regular", 11);
  text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", right, "bold", 11);
  y += 15;
  text("CỤC CÔNG NGHIỆP ĐỊA PHƯƠNG", left, "bold", 11);
  text("Độc lập - Tự do - Hạnh phúc", right, "bold", 11.5);
  y += 8;
  els.push({ type: "line", x1: left - 40, y1: y, x2: left + 40, y2: y, width: 0.6 });
  els.push({ type: "line", x1: right - 80, y1: y, x2: right + 80, y2: y, width: 0.6 });
  y += 20;
  text(`Số: ${input.decisionNo}`, left, "regular", 11);
  text(`Hà Nội, ${formatDateLine(input.decisionDate)}`, right, "italic", 11);
  y += 40;
  text("QUYẾT ĐỊNH", width / 2, "bold", 14);
  y += 18;
  const body = input.kind === "council" ? "Hội đồng bình chọn" : "Ban giám khảo";
  text(`Về việc thành lập ${body} sản phẩm công nghiệp nông thôn tiêu biểu`, width / 2, "bold", 11.5);
  y += 16;
  text("khu vực phía Bắc năm 2016", width / 2, "bold", 11.5);
  y += 9;
  els.push({ type: "line", x1: width / 2 - 60, y1: y, x2: width / 2 + 60, y2: y, width: 0.6 });
  y += 26;
  text("CỤC TRƯỞNG CỤC CÔNG NGHIỆP ĐỊA PHƯƠNG", width / 2, "bold", 12);
  y += 24;
  para("Căn cứ Thông tư số 26/2014/TT-BCT ngày 28 tháng 8 năm 2014 của Bộ trưởng Bộ Công Thương quy định về việc tổ chức bình chọn sản phẩm công nghiệp nông thôn tiêu biểu;", "italic");
  para(`Xét đề nghị của Phòng Khuyến công về việc tổ chức ${input.roundTitle.charAt(0).toLowerCase()}${input.roundTitle.slice(1)},`, "italic");
  y += 6;
  text("QUYẾT ĐỊNH:", width / 2, "bold", 12);
  y += 22;
  para(`Điều 1. Thành lập ${body} sản phẩm công nghiệp nông thôn tiêu biểu khu vực phía Bắc năm 2016, gồm các ông (bà) có tên sau:`);
  for (const [i, m] of input.members.entries()) para(`${i + 1}. Ông (Bà) ${m.name} – ${m.role};`, "regular", 11.5, 18);
  y += 4;
  para(
    input.kind === "council"
      ? "Điều 2. Hội đồng bình chọn xem xét kết quả chấm điểm của Ban giám khảo, họp và biểu quyết danh sách sản phẩm đề nghị công nhận, báo cáo Cục trưởng quyết định. Hội đồng tự giải thể sau khi hoàn thành nhiệm vụ."
      : "Điều 2. Ban giám khảo chấm điểm từng sản phẩm theo phiếu chấm điểm quy định tại Phụ lục số 4 Thông tư số 26/2014/TT-BCT và chuyển kết quả cho Hội đồng bình chọn. Ban giám khảo tự giải thể sau khi hoàn thành nhiệm vụ.",
  );
  para("Điều 3. Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng Cục, Trưởng phòng Khuyến công và các ông (bà) có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này.");
  y += 24;
  els.push({ type: "text", text: "Nơi nhận:", x: margin, y, size: 10, font: "bold" });
  text(input.signerTitle.toUpperCase().startsWith("CỤC TRƯỞNG") ? "CỤC TRƯỞNG" : input.signerTitle.toUpperCase(), right, "bold", 12);
  y += 14;
  els.push({ type: "text", text: "- Như Điều 3;", x: margin, y, size: 9.5, font: "regular" });
  y += 13;
  els.push({ type: "text", text: "- Lưu: VT, KC.", x: margin, y, size: 9.5, font: "regular" });
  y += 60;
  text(input.signerName, right, "bold", 12);
  y += 30;
  text("(Bản mẫu của dữ liệu trình diễn: số, ngày và thành phần là minh họa)", width / 2, "italic", 9);
  const pdf = await renderPdfPages([{ width, height, title: `Quyết định ${input.decisionNo}`, date: new Date(`${input.decisionDate}T08:00:00+07:00`), elements: els }]);
  return Buffer.from(pdf);
}
