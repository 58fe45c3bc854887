/**
 * The PDFs of certificates (the layouts are in layout.server.ts, re-exported here): rendering once into
 * storage with the sha256 recorded, serving the stored bytes afterwards, the revoked stamp and the
 * PNG previews. A revoked certificate's stamped copy is made from the stored original on the first
 * download after revocation and stored beside it, so it too is byte-identical on every download.
 */

import { and, eq, inArray, isNull } from "drizzle-orm";
import type JSZip from "jszip";

import { type Certificate, certificates, entries, facilityMembers, regions, rounds } from "../../../db/schema";
import { type Database, db } from "../../utils/db.server";
import { AppError, notFound } from "../../utils/errors";
import { formatDate } from "../../utils/format";
import { sha256 } from "../../utils/hash.server";
import { onFirstUse } from "../../utils/on-first-use.server";
import { A4_LANDSCAPE, mergePdfs, type PageLayout, renderPdf, renderPng, stampPdf } from "../../utils/pdf.server";
import { hasPermission, type RoleGrant } from "../../utils/permissions";
import { storage } from "../../utils/storage/index.server";
import { serveStored } from "../../utils/storage/serve.server";
import { emblemPng } from "../commendation/emblem.server";
import { organizerCoversRound } from "../round/round.server";
import { roundSigning } from "./certificate.server";
import { REVOKED_STAMP, favouriteLayout, meritLayout, productLayout, str } from "./layout.server";

const jszip = onFirstUse<typeof JSZip>("jszip");

export * from "./layout.server";

async function layoutOf(cert: Certificate, tx: Database): Promise<PageLayout> {
  if (cert.kind === "merit") {
    const emblem = await emblemPng(str(cert.subject.authority) || cert.issuer, tx);
    return meritLayout(cert, { emblemPng: emblem });
  }
  if (cert.kind === "favourite") return favouriteLayout(cert);
  let regionName: string | null = null;
  let signing = { place: "Hà Nội", capacity: [] as string[], name: null as string | null };
  if (cert.roundId) {
    const [r] = await tx.select({ round: rounds, regionName: regions.name }).from(rounds).leftJoin(regions, eq(regions.code, rounds.regionCode)).where(eq(rounds.id, cert.roundId));
    regionName = r?.regionName ?? null;
    if (r) signing = await roundSigning(r.round, tx);
  }
  return productLayout(cert, { regionName, signing });
}


/** A file name safe for storage and Content-Disposition: the serial is [A-Z0-9-] already. */
const { width: W, height: H } = A4_LANDSCAPE;
const safeSerial = (serial: string) => serial.replace(/[^A-Za-z0-9-]/g, "_");

/**
 * The storage key of a certificate's PDF, rendering and storing it first if it has none (or its
 * file is gone). Renders race safely: each render writes its own file and only the first to
 * record its key keeps it. `bytes` is set when this call rendered them.
 */
async function ensurePdfKey(cert: Certificate, tx: Database): Promise<{ key: string; sha256: string; bytes?: Buffer; rendered: boolean }> {
  // A stored file that is gone (storage lost) is rendered again and the new file recorded.
  if (cert.pdfKey && cert.pdfSha256 && (await storage().stat(cert.pdfKey))) return { key: cert.pdfKey, sha256: cert.pdfSha256, rendered: false };
  const bytes = Buffer.from(await renderPdf(await layoutOf(cert, tx)));
  const hash = sha256(bytes);
  const key = `certificates/${safeSerial(cert.serial)}-${hash.slice(0, 16)}.pdf`;
  await storage().put(key, bytes, { contentType: "application/pdf" });
  const condition = cert.pdfKey ? eq(certificates.pdfKey, cert.pdfKey) : isNull(certificates.pdfKey);
  const won = await tx
    .update(certificates)
    .set({ pdfKey: key, pdfSha256: hash })
    .where(and(eq(certificates.id, cert.id), condition))
    .returning({ id: certificates.id });
  if (won.length) return { key, sha256: hash, bytes, rendered: true };
  await storage().remove(key);
  const [fresh] = await tx.select().from(certificates).where(eq(certificates.id, cert.id));
  if (!fresh?.pdfKey) throw new Error(`certificate ${cert.serial} lost its PDF key`);
  return ensurePdfKey(fresh, tx);
}

/** The stored PDF of a certificate with its bytes, rendering and storing it first if it has none. */
export async function ensureCertificatePdf(cert: Certificate, tx: Database = db()): Promise<{ bytes: Buffer; key: string; sha256: string; rendered: boolean }> {
  const stored = await ensurePdfKey(cert, tx);
  const bytes = stored.bytes ?? (await storage().readAll(stored.key));
  if (!bytes) throw new Error(`certificate ${cert.serial}: ${stored.key} vanished while being read`);
  return { bytes, key: stored.key, sha256: stored.sha256, rendered: stored.rendered };
}

/**
 * The stored file a download serves: the PDF, or for a revoked certificate its stamped copy (made
 * from the original on the first download after revocation and stored beside it).
 */
async function downloadKey(cert: Certificate, tx: Database): Promise<{ key: string; etag: string }> {
  const original = await ensurePdfKey(cert, tx);
  if (!cert.revokedAt) return { key: original.key, etag: `"${original.sha256.slice(0, 32)}"` };
  const key = original.key.replace(/\.pdf$/, "-thu-hoi.pdf");
  const etag = `"${original.sha256.slice(0, 24)}-thu-hoi"`;
  if (await storage().stat(key)) return { key, etag };
  const source = original.bytes ?? (await storage().readAll(original.key));
  if (!source) throw new Error(`certificate ${cert.serial}: ${original.key} vanished while being read`);
  // The day in Vietnam: a revocation at 03:27 on 02/12 in Hà Nội is 20:27 on 01/12 in UTC.
  const note = `${REVOKED_STAMP} ngày ${formatDate(cert.revokedAt)}${cert.revokedReason ? `: ${cert.revokedReason}` : ""}`.slice(0, 140);
  const bytes = Buffer.from(await stampPdf(source, { title: REVOKED_STAMP, note, date: new Date(cert.revokedAt) }));
  await storage().put(key, bytes, { contentType: "application/pdf" });
  return { key, etag };
}

/** What a download serves, in memory: the stored PDF, or for a revoked certificate its stamped copy. */
export async function certificatePdfForDownload(cert: Certificate, tx: Database = db()): Promise<{ bytes: Buffer; sha256: string }> {
  const { key } = await downloadKey(cert, tx);
  const bytes = await storage().readAll(key);
  if (!bytes) throw new Error(`certificate ${cert.serial}: ${key} vanished while being read`);
  return { bytes, sha256: sha256(bytes) };
}

/** A PNG preview of the same layout made by sharp, cached in storage beside the PDF. */
async function previewKey(cert: Certificate, tx: Database): Promise<string> {
  const key = `certificates/previews/${safeSerial(cert.serial)}${cert.revokedAt ? "-thu-hoi" : ""}.png`;
  if (await storage().stat(key)) return key;
  const layout = await layoutOf(cert, tx);
  if (cert.revokedAt) {
    layout.elements.push({ type: "text", text: REVOKED_STAMP, x: W / 2, y: H / 2 + 20, size: 64, font: "bold", color: [0.8, 0.05, 0.05], align: "center" });
  }
  const png = await renderPng(layout, 1200);
  await storage().put(key, png, { contentType: "image/png" });
  return key;
}

/** The PNG preview's bytes (rendered and stored on first use). */
export async function certificatePreviewPng(cert: Certificate, tx: Database = db()): Promise<Buffer> {
  const key = await previewKey(cert, tx);
  const png = await storage().readAll(key);
  if (!png) throw new Error(`certificate ${cert.serial}: ${key} vanished while being read`);
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
 * an organiser the product and favourite certificates of rounds in scope; a facility member its own products'.
 * @throws AppError 404 (out of an organiser's scope), 403 (no role that reads certificates)
 */
export async function assertCanReadCertificate(user: { id: string; roles: RoleGrant[] }, cert: Certificate, tx: Database = db()) {
  if (hasPermission(user.roles, "certificate:revoke")) return;
  if (cert.kind !== "merit" && cert.roundId) {
    const [round] = await tx.select().from(rounds).where(eq(rounds.id, cert.roundId));
    if (round && (await organizerCoversRound(user.roles, round, tx))) return;
    const entryId = cert.entryId ?? cert.favouriteEntryId;
    if (entryId) {
      const [member] = await tx
        .select({ userId: facilityMembers.userId })
        .from(entries)
        .innerJoin(facilityMembers, eq(facilityMembers.facilityId, entries.facilityId))
        .where(and(eq(entries.id, entryId), eq(facilityMembers.userId, user.id)));
      if (member) return;
    }
    if (user.roles.some((r) => r.role === "organizer" || r.role === "facility")) throw notFound("Không tìm thấy giấy chứng nhận.");
  }
  throw new AppError(403, "Bạn không có quyền tải giấy chứng nhận này.");
}

/**
 * The HTTP answer for one certificate as PDF or PNG, streamed from storage with Range support and
 * conditional requests (the caller has checked who may read it).
 */
export async function certificateResponse(request: Request, cert: Certificate, ext: "pdf" | "png", tx: Database = db()): Promise<Response> {
  if (ext === "png") {
    const key = await previewKey(cert, tx);
    const headers = new Headers({ "Content-Type": "image/png", "Cache-Control": "private, max-age=300", "X-Content-Type-Options": "nosniff" });
    return serveStored(request, key, { etag: `"${safeSerial(cert.serial)}${cert.revokedAt ? "-thu-hoi" : ""}-png"`, headers });
  }
  const { key, etag } = await downloadKey(cert, tx);
  const headers = new Headers({
    "Content-Type": "application/pdf",
    "Content-Disposition": `inline; filename="${safeSerial(cert.serial)}${cert.revokedAt ? "-thu-hoi" : ""}.pdf"`,
    "Cache-Control": "private, no-cache",
    "X-Content-Type-Options": "nosniff",
  });
  return serveStored(request, key, { etag, headers });
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
  const zip = new (jszip())();
  // PDFs are compressed already: stored as they are, the ZIP is fast to build.
  for (const f of files) zip.file(f.name, f.bytes, { compression: "STORE", date: new Date("2016-01-01T00:00:00Z") });
  return zip.generateAsync({ type: "nodebuffer", compression: "STORE" });
}
