/**
 * The PDFs of certificates: the two layouts (Bằng khen, product certificate), rendering once into
 * storage with the sha256 recorded, serving the stored bytes afterwards, the revoked stamp and the
 * PNG previews. A revoked certificate's stamped copy is made from the stored original on the first
 * download after revocation and stored beside it, so it too is byte-identical on every download.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import { and, eq, inArray, isNull } from "drizzle-orm";
import JSZip from "jszip";

import { type Certificate, certificates, entries, facilityMembers, regions, rounds } from "../../../db/schema";
import { type Database, db } from "../../utils/db.server";
import { env } from "../../utils/env.server";
import { AppError, notFound } from "../../utils/errors";
import { formatDate } from "../../utils/format";
import { sha256 } from "../../utils/hash.server";
import {
  A4_LANDSCAPE,
  BLACK,
  mergePdfs,
  type Color,
  GOLD,
  type LayoutElement,
  type PageLayout,
  RED,
  renderPdf,
  renderPng,
  stampPdf,
  textWidth,
  wrapText,
} from "../../utils/pdf.server";
import { hasPermission, type RoleGrant } from "../../utils/permissions";
import { organizerCoversRound } from "../round/round.server";
import { LEVEL_NAMES } from "../round/rules";
import { formatCode } from "./rules";

const { width: W, height: H } = A4_LANDSCAPE;
const NAVY: Color = [0.06, 0.2, 0.45];
export const REVOKED_STAMP = "ĐÃ THU HỒI";

export function verifyUrl(code: string): string {
  return `${env().PUBLIC_URL.replace(/\/$/, "")}/verify/${code}`;
}

/** "Hà Nội, ngày 07 tháng 10 năm 2016" */
export function placeAndDate(place: string, isoDate: string): string {
  const [y, m, d] = isoDate.slice(0, 10).split("-");
  return `${place}, ngày ${d} tháng ${m} năm ${y}`;
}

function dmy(isoDate: string): string {
  const [y, m, d] = isoDate.slice(0, 10).split("-");
  return `${d}/${m}/${y}`;
}

const str = (v: unknown): string => (typeof v === "string" ? v : v === null || v === undefined ? "" : String(v));

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

function signatureBlock(place: string, date: string, titleLines: string[], name: string): LayoutElement[] {
  const cx = W - 205;
  const out: LayoutElement[] = [{ type: "text", text: placeAndDate(place, date), x: cx, y: H - 150, size: 12, font: "italic", align: "center" }];
  titleLines.forEach((t, i) => out.push({ type: "text", text: t, x: cx, y: H - 130 + i * 16, size: 13, font: "bold", align: "center" }));
  out.push({ type: "text", text: name, x: cx, y: H - 58, size: 14, font: "bold", align: "center" });
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

/** The Bằng khen of the Minister (fields per cnnt-domain.json → commendation.certificate_fields). */
export function meritLayout(cert: Certificate): PageLayout {
  const s = cert.subject;
  const authority = str(s.authority) || cert.issuer;
  const giver = `BỘ TRƯỞNG ${authority.toLocaleUpperCase("vi")}`;
  const el: LayoutElement[] = [...frame(RED, GOLD), ...nationalMotto(W / 2, 62)];
  el.push({ type: "text", text: giver, x: W / 2, y: 128, size: 21, font: "bold", color: RED, align: "center" });
  el.push({ type: "text", text: "Tặng", x: W / 2, y: 158, size: 16, font: "regular", color: BLACK, align: "center" });
  el.push({ type: "text", text: "BẰNG KHEN", x: W / 2, y: 206, size: 44, font: "bold", color: RED, align: "center" });
  const name = centredBlock(str(s.name), { y: 250, size: 24, minSize: 13, font: "bold", maxWidth: 680, maxLines: 3, color: NAVY });
  el.push(...name.elements);
  const detail = s.kind === "individual" ? [str(s.position), str(s.organization)].filter(Boolean).join(", ") : str(s.organization);
  const place = [detail, str(s.provinceName)].filter(Boolean).join(" — ");
  let y = name.bottom + 24;
  if (place) {
    const d = centredBlock(place, { y, size: 13, minSize: 10, font: "italic", maxWidth: 680, maxLines: 2 });
    el.push(...d.elements);
    y = d.bottom + 26;
  } else {
    y += 6;
  }
  const ach = centredBlock(str(s.achievement), { y, size: 14, minSize: 9.5, font: "regular", maxWidth: 660, maxLines: 6 });
  el.push(...ach.elements);
  const decisionDate = str(s.signedOn) || cert.decisionDate;
  el.push(...verificationBlock(cert, [`Quyết định số ${cert.decisionNo}`, `ngày ${dmy(decisionDate)}`]));
  el.push(...signatureBlock(str(s.place) || "Hà Nội", decisionDate, signerTitleLines(str(s.signerTitle) || "Bộ trưởng", authority), str(s.signerName)));
  return { width: W, height: H, title: `Bằng khen ${cert.serial} — ${str(s.name)}`, date: new Date(cert.issuedAt), elements: el };
}

/** The product certificate (Giấy chứng nhận sản phẩm công nghiệp nông thôn tiêu biểu). */
export function productLayout(cert: Certificate, extra: { regionName: string | null; signerName: string | null }): PageLayout {
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
  let y = product.bottom + 24;
  const rows: [string, string][] = [
    ["Nhóm sản phẩm", `Nhóm ${str(s.groupNo)}: ${str(s.groupName)}`],
    ["Cơ sở", str(s.facilityName)],
    ["Địa chỉ", [str(s.address), str(s.provinceName)].filter(Boolean).join(", ")],
    ["Quyết định công nhận", `số ${cert.decisionNo} ngày ${dmy(cert.decisionDate)}`],
    ["Hiệu lực", cert.validUntil ? `đến hết ngày ${dmy(cert.validUntil)}` : "không thời hạn"],
  ];
  for (const [label, value] of rows) {
    const labelText = `${label}: `;
    const lw = textWidth(labelText, "bold", 12.5);
    const lines = wrapText(value, "regular", 12.5, 600 - lw).slice(0, 2);
    el.push({ type: "text", text: labelText, x: 130, y, size: 12.5, font: "bold" });
    lines.forEach((line, i) => el.push({ type: "text", text: line, x: 130 + lw, y: y + i * 16, size: 12.5, font: "regular" }));
    y += lines.length * 16 + 4;
  }
  el.push(...verificationBlock(cert, [`Năm bình chọn ${str(s.year)}`]));
  // The signature names the issuing unit itself (the Cục), without its parent agency.
  const unit = cert.issuer.split(/\s+[–—-]\s+/)[0];
  const signer = agencyHeaderLines(unit, { size: 13, minSize: 13, maxWidth: 330 });
  el.push(...signatureBlock("Hà Nội", cert.decisionDate, signer.lines.slice(0, 2), extra.signerName ?? ""));
  return { width: W, height: H, title: `Giấy chứng nhận ${cert.serial} — ${str(s.productName)}`, date: new Date(cert.issuedAt), elements: el };
}

async function layoutOf(cert: Certificate, tx: Database): Promise<PageLayout> {
  if (cert.kind === "merit") return meritLayout(cert);
  let regionName: string | null = null;
  let signerName: string | null = null;
  if (cert.roundId) {
    const [r] = await tx
      .select({ regionName: regions.name, signer: rounds.decisionSigner })
      .from(rounds)
      .leftJoin(regions, eq(regions.code, rounds.regionCode))
      .where(eq(rounds.id, cert.roundId));
    regionName = r?.regionName ?? null;
    signerName = r?.signer ?? null;
  }
  return productLayout(cert, { regionName, signerName });
}

function storagePath(key: string): string {
  const root = path.resolve(env().uploadsDir);
  const full = path.resolve(root, key);
  if (!full.startsWith(root + path.sep)) throw new Error("storage key outside the uploads folder");
  return full;
}

function writeAtomic(key: string, bytes: Uint8Array) {
  const full = storagePath(key);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  const tmp = `${full}.${crypto.randomBytes(4).toString("hex")}.tmp`;
  fs.writeFileSync(tmp, bytes);
  fs.renameSync(tmp, full);
}


/** A file name safe for storage and Content-Disposition: the serial is [A-Z0-9-] already. */
const safeSerial = (serial: string) => serial.replace(/[^A-Za-z0-9-]/g, "_");

/**
 * The stored PDF of a certificate, rendering and storing it first if it has none. Renders race
 * safely: each render writes its own file and only the first to record its key keeps it.
 */
export async function ensureCertificatePdf(cert: Certificate, tx: Database = db()): Promise<{ bytes: Buffer; key: string; sha256: string; rendered: boolean }> {
  if (cert.pdfKey && cert.pdfSha256) {
    try {
      const bytes = fs.readFileSync(storagePath(cert.pdfKey));
      return { bytes, key: cert.pdfKey, sha256: cert.pdfSha256, rendered: false };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      // The stored file is gone (storage lost): render again and record the new file.
    }
  }
  const bytes = Buffer.from(await renderPdf(await layoutOf(cert, tx)));
  const hash = sha256(bytes);
  const key = `certificates/${safeSerial(cert.serial)}-${hash.slice(0, 16)}.pdf`;
  writeAtomic(key, bytes);
  const condition = cert.pdfKey ? eq(certificates.pdfKey, cert.pdfKey) : isNull(certificates.pdfKey);
  const won = await tx
    .update(certificates)
    .set({ pdfKey: key, pdfSha256: hash })
    .where(and(eq(certificates.id, cert.id), condition))
    .returning({ id: certificates.id });
  if (won.length) return { bytes, key, sha256: hash, rendered: true };
  fs.rmSync(storagePath(key), { force: true });
  const [fresh] = await tx.select().from(certificates).where(eq(certificates.id, cert.id));
  if (!fresh?.pdfKey) throw new Error(`certificate ${cert.serial} lost its PDF key`);
  return ensureCertificatePdf(fresh, tx);
}

/** What a download serves: the stored PDF, or for a revoked certificate its stamped copy. */
export async function certificatePdfForDownload(cert: Certificate, tx: Database = db()): Promise<{ bytes: Buffer; sha256: string }> {
  const original = await ensureCertificatePdf(cert, tx);
  if (!cert.revokedAt) return { bytes: original.bytes, sha256: original.sha256 };
  const key = original.key.replace(/\.pdf$/, "-thu-hoi.pdf");
  try {
    const bytes = fs.readFileSync(storagePath(key));
    return { bytes, sha256: sha256(bytes) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  // The day in Vietnam: a revocation at 03:27 on 02/12 in Hà Nội is 20:27 on 01/12 in UTC.
  const note = `${REVOKED_STAMP} ngày ${formatDate(cert.revokedAt)}${cert.revokedReason ? `: ${cert.revokedReason}` : ""}`.slice(0, 140);
  const bytes = Buffer.from(await stampPdf(original.bytes, { title: REVOKED_STAMP, note, date: new Date(cert.revokedAt) }));
  writeAtomic(key, bytes);
  return { bytes, sha256: sha256(bytes) };
}

/** A PNG preview of the same layout made by sharp, cached in storage beside the PDF. */
export async function certificatePreviewPng(cert: Certificate, tx: Database = db()): Promise<Buffer> {
  const key = `certificates/previews/${safeSerial(cert.serial)}${cert.revokedAt ? "-thu-hoi" : ""}.png`;
  try {
    return fs.readFileSync(storagePath(key));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const layout = await layoutOf(cert, tx);
  if (cert.revokedAt) {
    layout.elements.push({ type: "text", text: REVOKED_STAMP, x: W / 2, y: H / 2 + 20, size: 64, font: "bold", color: [0.8, 0.05, 0.05], align: "center" });
  }
  const png = await renderPng(layout, 1200);
  writeAtomic(key, png);
  return png;
}

export async function findCertificateBySerial(serial: string, tx: Database = db()): Promise<Certificate> {
  const [cert] = await tx.select().from(certificates).where(eq(certificates.serial, serial.toUpperCase().slice(0, 40)));
  if (!cert) throw notFound("Không tìm thấy giấy chứng nhận hoặc Bằng khen với số này.");
  return cert;
}

/** "BK-2016-0001.pdf" → serial + extension, for the resource routes. */
export function splitFileParam(file: string | undefined, allowed: string[]): { name: string; ext: string } | null {
  const m = /^([A-Za-z0-9-]{1,60})\.([a-z]{3})$/.exec(file ?? "");
  if (!m || !allowed.includes(m[2])) return null;
  return { name: m[1], ext: m[2] };
}

/**
 * Whether a signed-in user may download a certificate by its serial: ministry officers any;
 * an organiser the product certificates of rounds in scope; a facility member its own products'.
 * @throws AppError 404 (out of an organiser's scope), 403 (no role that reads certificates)
 */
export async function assertCanReadCertificate(user: { id: string; roles: RoleGrant[] }, cert: Certificate, tx: Database = db()) {
  if (hasPermission(user.roles, "certificate:revoke")) return;
  if (cert.kind === "product" && cert.roundId) {
    const [round] = await tx.select().from(rounds).where(eq(rounds.id, cert.roundId));
    if (round && (await organizerCoversRound(user.roles, round, tx))) return;
    if (cert.entryId) {
      const [member] = await tx
        .select({ userId: facilityMembers.userId })
        .from(entries)
        .innerJoin(facilityMembers, eq(facilityMembers.facilityId, entries.facilityId))
        .where(and(eq(entries.id, cert.entryId), eq(facilityMembers.userId, user.id)));
      if (member) return;
    }
    if (user.roles.some((r) => r.role === "organizer" || r.role === "facility")) throw notFound("Không tìm thấy giấy chứng nhận.");
  }
  throw new AppError(403, "Bạn không có quyền tải giấy chứng nhận này.");
}

/** The HTTP answer for one certificate as PDF or PNG. */
export async function certificateResponse(cert: Certificate, ext: "pdf" | "png", tx: Database = db()): Promise<Response> {
  if (ext === "png") {
    const png = await certificatePreviewPng(cert, tx);
    return new Response(new Uint8Array(png), { headers: { "Content-Type": "image/png", "Content-Length": String(png.length), "Cache-Control": "private, max-age=300", "X-Content-Type-Options": "nosniff" } });
  }
  const { bytes, sha256: hash } = await certificatePdfForDownload(cert, tx);
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Length": String(bytes.length),
      "Content-Disposition": `inline; filename="${safeSerial(cert.serial)}${cert.revokedAt ? "-thu-hoi" : ""}.pdf"`,
      ETag: `"${hash.slice(0, 32)}"`,
      "Cache-Control": "private, no-cache",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

/** All the given certificates as one merged PDF or a ZIP of single PDFs (revoked ones stamped). */
export async function bundleCertificates(ids: number[], format: "pdf" | "zip", tx: Database = db()): Promise<Buffer> {
  if (!ids.length) throw new AppError(404, "Chưa có giấy chứng nhận nào để tải.");
  const rows = await tx.select().from(certificates).where(inArray(certificates.id, ids));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const files: { name: string; bytes: Buffer }[] = [];
  for (const id of ids) {
    const cert = byId.get(id);
    if (!cert) continue;
    const { bytes } = await certificatePdfForDownload(cert, tx);
    files.push({ name: `${safeSerial(cert.serial)}${cert.revokedAt ? "-thu-hoi" : ""}.pdf`, bytes });
  }
  if (format === "pdf") return Buffer.from(await mergePdfs(files.map((f) => f.bytes)));
  const zip = new JSZip();
  // PDFs are compressed already: stored as they are, the ZIP is fast to build.
  for (const f of files) zip.file(f.name, f.bytes, { compression: "STORE", date: new Date("2016-01-01T00:00:00Z") });
  return zip.generateAsync({ type: "nodebuffer", compression: "STORE" });
}
