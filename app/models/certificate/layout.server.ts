/** The three certificate layouts (Bằng khen, product certificate, the people's-choice award) as page layouts for utils/pdf.server.ts: frame, national motto, agency header, signature and verification blocks. */
import { type Certificate } from "../../../db/schema";
import { env } from "../../utils/env.server";
import { formatDate, formatDateLine, formatDateTime, formatNumber, formatPlaceDate } from "../../utils/format";
import { A4_LANDSCAPE, BLACK, type Color, GOLD, type LayoutElement, type PageLayout, RED, textWidth, wrapText } from "../../utils/pdf.server";
import { LEVEL_NAMES } from "../round/rules";
import { nameWithHonorific } from "./document-rules";
import { formatCode, vietnamToday } from "./rules";

const { width: W, height: H } = A4_LANDSCAPE;
const NAVY: Color = [0.06, 0.2, 0.45];
/** The award's colours: green and leaf, never the recognition's navy and gold or the Bằng khen's red. */
const GREEN: Color = [0.05, 0.38, 0.24];
const LEAF: Color = [0.42, 0.62, 0.3];
export const REVOKED_STAMP = "ĐÃ THU HỒI";

export function verifyUrl(code: string): string {
  return `${env().PUBLIC_URL.replace(/\/$/, "")}/verify/${code}`;
}

/** "Hà Nội, ngày 07 tháng 10 năm 2016", "Thái Nguyên, ngày 20 tháng 8 năm 2026" (formatDateLine's rule). */
export function placeAndDate(place: string, isoDate: string): string {
  return formatPlaceDate(place, isoDate.slice(0, 10));
}

function dmy(isoDate: string): string {
  const [y, m, d] = isoDate.slice(0, 10).split("-");
  return `${d}/${m}/${y}`;
}

export const str = (v: unknown): string => (typeof v === "string" ? v : v === null || v === undefined ? "" : String(v));

/** Text lines centred in a box, shrinking the size until at most `maxLines` lines fit. */
function centredBlock(
  text: string,
  opts: { y: number; size: number; minSize: number; font: "regular" | "bold" | "italic" | "bold"; maxWidth: number; maxLines: number; color?: Color; lineGap?: number },
): { elements: LayoutElement[]; bottom: number } {
  let size = opts.size;
  let lines = wrapText(text, opts.font, size, opts.maxWidth);
  while ((lines.length > opts.maxLines || lines.some((l) => textWidth(l, opts.font, size) > opts.maxWidth)) && size > opts.minSize) {
    size -= 1;
    lines = wrapText(text, opts.font, size, opts.maxWidth);
  }
  const step = size * (opts.lineGap ?? 1.35);
  if (lines.length > opts.maxLines) {
    // Never silently: a text longer than the frame ends with an ellipsis (the schema's limits avoid it).
    lines = lines.slice(0, opts.maxLines);
    lines[lines.length - 1] = `${lines[lines.length - 1].replace(/\s*\S+$/, "")} …`;
  }
  const elements = lines.map(
    (line, i): LayoutElement => ({ type: "text", text: line, x: W / 2, y: opts.y + i * step, size, font: opts.font, color: opts.color, align: "center" }),
  );
  return { elements, bottom: opts.y + (Math.min(lines.length, opts.maxLines) - 1) * step };
}

function frame(color: Color, accent: Color): LayoutElement[] {
  return [
    { type: "rect", x: 16, y: 16, width: W - 32, height: H - 32, stroke: color, strokeWidth: 5 },
    { type: "rect", x: 27, y: 27, width: W - 54, height: H - 54, stroke: accent, strokeWidth: 1.5 },
    // Corner ornaments
    ...[
      [27, 27],
      [W - 47, 27],
      [27, H - 47],
      [W - 47, H - 47],
    ].map(([x, y]): LayoutElement => ({ type: "rect", x, y, width: 20, height: 20, fill: accent })),
  ];
}

function verificationBlock(cert: Pick<Certificate, "serial" | "code">, lines: string[]): LayoutElement[] {
  const x = 52;
  const top = H - 160;
  const out: LayoutElement[] = [{ type: "qr", data: verifyUrl(cert.code), x, y: top, size: 92 }];
  // "Mã xác minh", the term the site uses on /verify, so the paper and the page say the same.
  const all = [...lines, `Số: ${cert.serial}`, `Mã xác minh: ${formatCode(cert.code)}`];
  all.forEach((text, i) => out.push({ type: "text", text, x: x + 102, y: top + 14 + i * 15, size: 10, font: i >= lines.length ? "bold" : "regular" }));
  out.push({ type: "text", text: `Kiểm tra tại ${verifyUrl(cert.code).replace(/^https?:\/\//, "")}`, x: x, y: top + 108, size: 7.5, font: "regular" });
  return out;
}

/**
 * The signing block, right: "place, ngày … tháng … năm …", the capacity lines (at most four, e.g.
 * "TM. ỦY BAN NHÂN DÂN" / "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH"), the room for signature and seal, the
 * signer's name.
 */
function signatureBlock(place: string, date: string, titleLines: string[], name: string): LayoutElement[] {
  const cx = W - 205;
  const lines = titleLines.slice(0, 4);
  const top = H - 162;
  const out: LayoutElement[] = [{ type: "text", text: placeAndDate(place, date), x: cx, y: top, size: 12, font: "italic", align: "center" }];
  lines.forEach((t, i) => {
    const size = Math.min(13, (330 / Math.max(1, textWidth(t, "bold", 13))) * 13);
    out.push({ type: "text", text: t, x: cx, y: top + 20 + i * 15, size, font: "bold", align: "center" });
  });
  if (name) out.push({ type: "text", text: name, x: cx, y: H - 46, size: 14, font: "bold", align: "center" });
  return out;
}

function nationalMotto(cx: number, y: number, size = 12.5): LayoutElement[] {
  const motto = "Độc lập - Tự do - Hạnh phúc";
  const mw = textWidth(motto, "bold", size);
  return [
    { type: "text", text: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", x: cx, y, size, font: "bold", align: "center" },
    { type: "text", text: motto, x: cx, y: y + size * 1.45, size, font: "bold", align: "center" },
    { type: "line", x1: cx - mw / 2, y1: y + size * 1.45 + 4, x2: cx + mw / 2, y2: y + size * 1.45 + 4, width: 0.8 },
  ];
}

/**
 * The agency header of an official paper: "Cục Công nghiệp địa phương – Bộ Công Thương" prints as
 * "BỘ CÔNG THƯƠNG" over "CỤC CÔNG NGHIỆP ĐỊA PHƯƠNG" (the parent agency first, as on Vietnamese
 * administrative documents). Each agency name stays on one line: the size shrinks down to
 * `minSize` before a name that still does not fit is wrapped (then only that name breaks).
 */
export function agencyHeaderLines(issuer: string, opts: { size: number; minSize: number; maxWidth: number }): { lines: string[]; size: number } {
  const parts = issuer
    .split(/\s+[–—-]\s+/)
    .map((p) => p.trim().toLocaleUpperCase("vi"))
    .filter(Boolean)
    .reverse();
  let size = opts.size;
  while (size > opts.minSize && parts.some((p) => textWidth(p, "bold", size) > opts.maxWidth)) size -= 0.5;
  return { lines: parts.flatMap((p) => wrapText(p, "bold", size, opts.maxWidth)), size };
}

/** Signer title lines as printed: "BỘ TRƯỞNG" or "KT. BỘ TRƯỞNG" / "THỨ TRƯỞNG". */
export function signerTitleLines(title: string, authority: string): string[] {
  const upper = title.toLocaleUpperCase("vi").trim();
  const auth = authority.toLocaleUpperCase("vi").trim();
  const withoutAuthority = upper.endsWith(auth) ? upper.slice(0, -auth.length).trim() : upper;
  return withoutAuthority.split(/\s+-\s+|\n/).map((s) => s.trim()).filter(Boolean);
}

/**
 * The Bằng khen of the Minister (NĐ 50/2006 Điều 28, cnnt-domain.json → commendation.certificate_fields):
 * the issuer's emblem top centre, the national motto, the giver (red), "Tặng", "BẰNG KHEN" (red),
 * "Ông/Bà" and the name, the position and organisation, the achievement; bottom left "Quyết định
 * số …, ngày … tháng … năm …" and the số sổ vàng; bottom right the place, date and signature.
 */
export function meritLayout(cert: Certificate, extra: { emblemPng?: Uint8Array | null } = {}): PageLayout {
  const s = cert.subject;
  const authority = str(s.authority) || cert.issuer;
  const giver = `BỘ TRƯỞNG ${authority.toLocaleUpperCase("vi")}`;
  const el: LayoutElement[] = [...frame(RED, GOLD)];
  if (extra.emblemPng) el.push({ type: "image", png: extra.emblemPng, x: W / 2 - 30, y: 36, width: 60, height: 52 });
  el.push(...nationalMotto(W / 2, 104, 12));
  el.push({ type: "text", text: giver, x: W / 2, y: 156, size: 20, font: "bold", color: RED, align: "center" });
  el.push({ type: "text", text: "Tặng", x: W / 2, y: 182, size: 15, font: "regular", color: BLACK, align: "center" });
  el.push({ type: "text", text: "BẰNG KHEN", x: W / 2, y: 226, size: 40, font: "bold", color: RED, align: "center" });
  const printedName = nameWithHonorific({ kind: str(s.kind), name: str(s.name), honorific: str(s.honorific) || null });
  const name = centredBlock(printedName, { y: 264, size: 22, minSize: 13, font: "bold", maxWidth: 680, maxLines: 2, color: NAVY });
  el.push(...name.elements);
  const detail = s.kind === "individual" ? [str(s.position), str(s.organization)].filter(Boolean).join(", ") : str(s.organization);
  const place = [detail, str(s.provinceName)].filter(Boolean).join(" — ");
  let y = name.bottom + 22;
  if (place) {
    const d = centredBlock(place, { y, size: 13, minSize: 10, font: "italic", maxWidth: 680, maxLines: 2 });
    el.push(...d.elements);
    y = d.bottom + 22;
  } else {
    y += 4;
  }
  // The achievement ends above the bottom blocks (which start at H - 162).
  const ach = centredBlock(str(s.achievement), { y, size: 13.5, minSize: 9.5, font: "regular", maxWidth: 660, maxLines: Math.max(2, Math.floor((H - 178 - y) / 13) ) });
  el.push(...ach.elements);
  const decisionDate = str(s.signedOn) || str(cert.decisionDate);
  const lines = [`Quyết định số ${cert.decisionNo}, ${formatDateLine(decisionDate)}`];
  if (cert.goldBookNo) lines.push(`Số sổ vàng: ${cert.goldBookNo}`);
  el.push(...verificationBlock(cert, lines));
  el.push(...signatureBlock(str(s.place) || "Hà Nội", decisionDate, signerTitleLines(str(s.signerTitle) || "Bộ trưởng", authority), str(s.signerName)));
  return { width: W, height: H, title: `Bằng khen ${cert.serial} — ${str(s.name)}`, date: new Date(cert.issuedAt), elements: el };
}

/** The product certificate (Giấy chứng nhận sản phẩm công nghiệp nông thôn tiêu biểu). */
export function productLayout(
  cert: Certificate,
  extra: { regionName: string | null; signing: { place: string; capacity: string[]; name: string | null } },
): PageLayout {
  const s = cert.subject;
  const level = str(s.level);
  const levelLine = `${LEVEL_NAMES[level] ?? ""}${level === "region" && extra.regionName ? ` ${extra.regionName.replace(/^Khu vực\s*/i, "")}` : ""} năm ${str(s.year)}`.trim();
  const el: LayoutElement[] = [...frame(NAVY, GOLD)];
  const header = agencyHeaderLines(cert.issuer, { size: 11.5, minSize: 9, maxWidth: 330 });
  header.lines.slice(0, 3).forEach((t, i) => el.push({ type: "text", text: t, x: 205, y: 62 + i * 16, size: header.size, font: "bold", align: "center" }));
  el.push(...nationalMotto(W - 250, 62, 11.5));
  el.push({ type: "text", text: "GIẤY CHỨNG NHẬN", x: W / 2, y: 150, size: 36, font: "bold", color: RED, align: "center" });
  el.push({ type: "text", text: "SẢN PHẨM CÔNG NGHIỆP NÔNG THÔN TIÊU BIỂU", x: W / 2, y: 178, size: 17, font: "bold", color: NAVY, align: "center" });
  el.push({ type: "text", text: levelLine.toLocaleUpperCase("vi"), x: W / 2, y: 200, size: 13, font: "bold", color: NAVY, align: "center" });
  el.push({ type: "text", text: "Chứng nhận sản phẩm", x: W / 2, y: 230, size: 12, font: "italic", align: "center" });
  const product = centredBlock(str(s.productName), { y: 258, size: 22, minSize: 13, font: "bold", maxWidth: 680, maxLines: 2, color: RED });
  el.push(...product.elements);
  const y = product.bottom + 24;
  const rows: [string, string][] = [
    ["Nhóm sản phẩm", `Nhóm ${str(s.groupNo)}: ${str(s.groupName)}`],
    ["Cơ sở", str(s.facilityName)],
    ["Địa chỉ", [str(s.address), str(s.provinceName)].filter(Boolean).join(", ")],
    ["Quyết định công nhận", `số ${cert.decisionNo}, ${formatDateLine(str(cert.decisionDate))}`],
    ["Hiệu lực", cert.validUntil ? `đến hết ngày ${dmy(cert.validUntil)}` : "không thời hạn"],
  ];
  labelledRows(el, rows, y);
  el.push(...verificationBlock(cert, [`Năm bình chọn ${str(s.year)}`]));
  // The signing block as frozen at issue (place, capacity, name); older certificates take it from the round.
  const capacity = Array.isArray(s.signerCapacity) ? s.signerCapacity.map(str) : extra.signing.capacity;
  const place = str(s.place) || extra.signing.place;
  const signerName = typeof s.signerName === "string" ? s.signerName : (extra.signing.name ?? "");
  el.push(...signatureBlock(place, str(cert.decisionDate), capacity, signerName));
  return { width: W, height: H, title: `Giấy chứng nhận ${cert.serial} — ${str(s.productName)}`, date: new Date(cert.issuedAt), elements: el };
}

/** The rows "label: value" under a certificate's name, wrapped within 600 pt; returns where they end. */
function labelledRows(el: LayoutElement[], rows: [string, string, number?][], y: number, size = 12.5): number {
  for (const [label, value, valueSize = size] of rows) {
    const labelText = `${label}: `;
    const lw = textWidth(labelText, "bold", size);
    const lines = wrapText(value, "regular", valueSize, 600 - lw).slice(0, 2);
    el.push({ type: "text", text: labelText, x: 130, y, size, font: "bold" });
    lines.forEach((line, i) => el.push({ type: "text", text: line, x: 130 + lw, y: y + i * 16, size: valueSize, font: "regular" }));
    y += lines.length * 16 + 4;
  }
  return y;
}

/**
 * The certificate of the people's-choice award ("GIẤY CHỨNG NHẬN — Sản phẩm được công chúng yêu thích"):
 * advisory, so it never looks like the recognition — green, its own title, the vote it comes from (window,
 * this product's counted votes, the day the counts were frozen and their SHA-256), a line saying it is not
 * the recognition certificate, no decision and no validity; signed by the round's signer.
 */
export function favouriteLayout(cert: Certificate): PageLayout {
  const s = cert.subject;
  const vote = (typeof s.vote === "object" && s.vote ? s.vote : {}) as Record<string, unknown>;
  const el: LayoutElement[] = [...frame(GREEN, LEAF)];
  const header = agencyHeaderLines(cert.issuer, { size: 11.5, minSize: 9, maxWidth: 330 });
  header.lines.slice(0, 3).forEach((t, i) => el.push({ type: "text", text: t, x: 205, y: 62 + i * 16, size: header.size, font: "bold", align: "center" }));
  el.push(...nationalMotto(W - 250, 62, 11.5));
  el.push({ type: "text", text: "GIẤY CHỨNG NHẬN", x: W / 2, y: 146, size: 30, font: "bold", color: GREEN, align: "center" });
  el.push({ type: "text", text: `— ${str(s.award) || "Sản phẩm được công chúng yêu thích"} —`, x: W / 2, y: 174, size: 20, font: "bold", color: GREEN, align: "center" });
  const from = centredBlock(`Theo kết quả Bình chọn của công chúng — ${str(s.roundTitle)}`, { y: 198, size: 12, minSize: 10, font: "italic", maxWidth: 660, maxLines: 2 });
  el.push(...from.elements);
  const product = centredBlock(str(s.productName), { y: from.bottom + 32, size: 22, minSize: 13, font: "bold", maxWidth: 680, maxLines: 2, color: GREEN });
  el.push(...product.elements);
  const votes = Number(vote.votes ?? 0);
  const tied = Number(vote.winners ?? 1);
  const among = `nhiều nhất trong ${formatNumber(Number(vote.candidates ?? 0))} sản phẩm`;
  const standing = tied > 1 ? `${among}, bằng phiếu với ${formatNumber(tied - 1)} sản phẩm khác` : among;
  const y = labelledRows(
    el,
    [
      ["Cơ sở", str(s.facilityName)],
      ["Địa chỉ", [str(s.address), str(s.provinceName)].filter(Boolean).join(", ")],
      ["Thời gian bình chọn", `từ ${formatDateTime(str(vote.opensAt))} đến ${formatDateTime(str(vote.closesAt))}`],
      ["Số phiếu được tính", `${formatNumber(votes)} phiếu (${standing})`],
      ["Kết quả chốt ngày", formatDate(str(vote.frozenAt))],
      ["Mã SHA-256 của kết quả", str(vote.finalHash), 10],
    ],
    product.bottom + 24,
    12,
  );
  const note = centredBlock(
    "Danh hiệu do công chúng bình chọn, chỉ mang tính tham khảo: không phải giấy chứng nhận sản phẩm công nghiệp nông thôn tiêu biểu, không thay đổi điểm hay thứ hạng của Ban giám khảo.",
    { y: Math.max(y + 6, H - 196), size: 10, minSize: 8.5, font: "italic", maxWidth: 640, maxLines: 2, color: GREEN, lineGap: 1.3 },
  );
  el.push(...note.elements);
  el.push(...verificationBlock(cert, [`Bình chọn của công chúng năm ${str(s.year)}`]));
  const capacity = Array.isArray(s.signerCapacity) ? s.signerCapacity.map(str) : [];
  el.push(...signatureBlock(str(s.place) || "Hà Nội", vietnamToday(new Date(cert.issuedAt)), capacity, str(s.signerName)));
  return {
    width: W,
    height: H,
    title: `Giấy chứng nhận ${cert.serial} — Sản phẩm được công chúng yêu thích — ${str(s.productName)}`,
    date: new Date(cert.issuedAt),
    elements: el,
  };
}
