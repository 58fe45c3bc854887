/**
 * One page layout, two renderers: a list of drawing elements (text, rectangles, lines, QR codes)
 * in points on an A4 landscape page (origin top-left) is rendered to PDF by pdf-lib (+ fontkit,
 * Be Vietnam Pro embedded as a subset) and to a PNG preview by sharp (an SVG of the shapes and QR,
 * with each text line rendered by sharp's `text` input from the same TTF through `fontfile`).
 * Text is measured with the font's own metrics, so both renderers wrap and centre the same way.
 */
import type * as PdfLib from "pdf-lib";
import type { PDFFont, PDFPage } from "pdf-lib";
import type QRCode from "qrcode";
import sharp, { type OverlayOptions } from "sharp";

import { bytesOf, cachingFontkit, type FontName, fontPath, metricsOf, PANGO_FACE, textWidth } from "./fonts.server";
import { onFirstUse } from "./on-first-use.server";

const pdf = onFirstUse<typeof PdfLib>("pdf-lib");
const qrcode = onFirstUse<typeof QRCode>("qrcode");

export * from "./fonts.server";

export const A4_LANDSCAPE = { width: 841.89, height: 595.28 } as const;
export const A4_PORTRAIT = { width: 595.28, height: 841.89 } as const;

export type Color = [number, number, number];
export const BLACK: Color = [0.1, 0.1, 0.1];
export const RED: Color = [0.72, 0.07, 0.07];
export const GOLD: Color = [0.7, 0.53, 0.16];

export type LayoutElement =
  /** `y` is the baseline; `x` the left edge, centre or right edge by `align`. */
  | { type: "text"; text: string; x: number; y: number; size: number; font: FontName; color?: Color; align?: "left" | "center" | "right" }
  | { type: "rect"; x: number; y: number; width: number; height: number; stroke?: Color; strokeWidth?: number; fill?: Color }
  | { type: "line"; x1: number; y1: number; x2: number; y2: number; color?: Color; width?: number }
  /** A QR code of `data`, `size` points square, drawn as vector modules. */
  | { type: "qr"; data: string; x: number; y: number; size: number }
  /** A PNG image (`png` bytes) fitted into the box, keeping its proportions, centred. */
  | { type: "image"; png: Uint8Array; x: number; y: number; width: number; height: number };

export interface PageLayout {
  width: number;
  height: number;
  title: string;
  /** Fixed document dates, so a re-render of the same certificate differs only by the font tag. */
  date: Date;
  elements: LayoutElement[];
}

function qrModules(data: string): { count: number; dark: (r: number, c: number) => boolean } {
  const qr = qrcode().create(data, { errorCorrectionLevel: "M" });
  const count = qr.modules.size;
  return { count, dark: (r, c) => !!qr.modules.get(r, c) };
}

function alignedX(el: Extract<LayoutElement, { type: "text" }>): number {
  if (!el.align || el.align === "left") return el.x;
  const w = textWidth(el.text, el.font, el.size);
  return el.align === "center" ? el.x - w / 2 : el.x - w;
}

/**
 * Renders the layout to PDF bytes. Fonts are embedded as subsets (only the glyphs used): every
 * layout has been rendered with pdftoppm and looked at, and the Vietnamese marks survive.
 */
export async function renderPdf(layout: PageLayout): Promise<Uint8Array> {
  return renderPdfPages([layout]);
}

/** Renders several page layouts into one PDF; the first page gives the title and dates. */
export async function renderPdfPages(layouts: PageLayout[]): Promise<Uint8Array> {
  const first = layouts[0];
  const doc = await pdf().PDFDocument.create();
  doc.registerFontkit(cachingFontkit);
  doc.setTitle(first.title);
  doc.setProducer("CNNT Tiêu biểu");
  doc.setCreator("CNNT Tiêu biểu");
  doc.setCreationDate(first.date);
  doc.setModificationDate(first.date);
  const fonts = new Map<FontName, PDFFont>();
  const fontFor = async (name: FontName) => {
    let f = fonts.get(name);
    if (!f) {
      f = await doc.embedFont(bytesOf(name), { subset: true });
      fonts.set(name, f);
    }
    return f;
  };
  for (const layout of layouts) {
    const page = doc.addPage([layout.width, layout.height]);
    for (const el of layout.elements) await drawPdf(page, el, layout.height, fontFor);
  }
  return doc.save({ useObjectStreams: false });
}

/** The box an image of `w`×`h` pixels takes inside the element's box (proportions kept, centred). */
function fitted(el: Extract<LayoutElement, { type: "image" }>, w: number, h: number) {
  const k = Math.min(el.width / w, el.height / h);
  const width = w * k;
  const height = h * k;
  return { x: el.x + (el.width - width) / 2, y: el.y + (el.height - height) / 2, width, height };
}

async function drawPdf(page: PDFPage, el: LayoutElement, H: number, fontFor: (n: FontName) => Promise<PDFFont>) {
  switch (el.type) {
    case "image": {
      const img = await page.doc.embedPng(el.png);
      const box = fitted(el, img.width, img.height);
      page.drawImage(img, { x: box.x, y: H - box.y - box.height, width: box.width, height: box.height });
      return;
    }
    case "text": {
      const font = await fontFor(el.font);
      page.drawText(el.text, { x: alignedX(el), y: H - el.y, size: el.size, font, color: pdf().rgb(...(el.color ?? BLACK)) });
      return;
    }
    case "rect":
      page.drawRectangle({
        x: el.x,
        y: H - el.y - el.height,
        width: el.width,
        height: el.height,
        borderColor: el.stroke ? pdf().rgb(...el.stroke) : undefined,
        borderWidth: el.stroke ? (el.strokeWidth ?? 1) : 0,
        color: el.fill ? pdf().rgb(...el.fill) : undefined,
      });
      return;
    case "line":
      page.drawLine({ start: { x: el.x1, y: H - el.y1 }, end: { x: el.x2, y: H - el.y2 }, thickness: el.width ?? 1, color: pdf().rgb(...(el.color ?? BLACK)) });
      return;
    case "qr": {
      const { count, dark } = qrModules(el.data);
      const quiet = 2;
      const m = el.size / (count + quiet * 2);
      page.drawRectangle({ x: el.x, y: H - el.y - el.size, width: el.size, height: el.size, color: pdf().rgb(1, 1, 1) });
      // Raw rectangle operators, one per horizontal run of dark modules: small and fast.
      const ops = [pdf().pushGraphicsState(), pdf().setFillingRgbColor(0, 0, 0)];
      for (let r = 0; r < count; r++) {
        let c = 0;
        while (c < count) {
          if (!dark(r, c)) {
            c++;
            continue;
          }
          const start = c;
          while (c < count && dark(r, c)) c++;
          ops.push(pdf().rectangle(el.x + (start + quiet) * m, H - el.y - (r + quiet + 1) * m, (c - start) * m, m));
        }
      }
      ops.push(pdf().fill(), pdf().popGraphicsState());
      page.pushOperators(...ops);
      return;
    }
  }
}

/** Adds a red, rotated stamp across the first page of an existing PDF (a revoked certificate). */
export async function stampPdf(original: Uint8Array, stamp: { title: string; note: string; date: Date }): Promise<Uint8Array> {
  const doc = await pdf().PDFDocument.load(original, { updateMetadata: false });
  doc.registerFontkit(cachingFontkit);
  const font = await doc.embedFont(bytesOf("bold"), { subset: true });
  const small = await doc.embedFont(bytesOf("semibold"), { subset: true });
  doc.setModificationDate(stamp.date);
  const page = doc.getPages()[0];
  const { width, height } = page.getSize();
  const size = 64;
  const w = font.widthOfTextAtSize(stamp.title, size);
  const angle = 20;
  const rad = (angle * Math.PI) / 180;
  const cx = width / 2;
  const cy = height / 2;
  const x = cx - (w / 2) * Math.cos(rad);
  const y = cy - (w / 2) * Math.sin(rad);
  const red = pdf().rgb(0.8, 0.05, 0.05);
  page.drawRectangle({
    x: x - 16 * Math.cos(rad) + 14 * Math.sin(rad),
    y: y - 16 * Math.sin(rad) - 14 * Math.cos(rad),
    width: w + 32,
    height: size + 10,
    borderColor: red,
    borderWidth: 4,
    rotate: pdf().degrees(angle),
    opacity: 0.9,
    borderOpacity: 0.9,
  });
  page.drawText(stamp.title, { x, y, size, font, color: red, rotate: pdf().degrees(angle), opacity: 0.9 });
  const nw = small.widthOfTextAtSize(stamp.note, 12);
  page.drawText(stamp.note, { x: cx - nw / 2, y: 28, size: 12, font: small, color: red });
  return doc.save({ useObjectStreams: false });
}

function svgColor(c: Color | undefined, fallback = "#1a1a1a"): string {
  if (!c) return fallback;
  return `#${c.map((v) => Math.round(v * 255).toString(16).padStart(2, "0")).join("")}`;
}

const STRUT = "Ậy";

/** Height above the baseline of the strut's ink (the top of the circumflex and dot of "Ậ"). */
function inkTop(font: FontName, size: number): number {
  const f = metricsOf(font);
  const glyph = f.layout("Ậ").glyphs[0];
  return (glyph.bbox.maxY / f.unitsPerEm) * size;
}

function escapeMarkup(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * Renders the same layout to a PNG preview `pixelWidth` wide: shapes and the QR code as SVG, every
 * text line from the TTF through sharp's `text` input (`fontfile`), placed by the same metrics.
 */
export async function renderPng(layout: PageLayout, pixelWidth = 1200): Promise<Buffer> {
  const k = pixelWidth / layout.width;
  const W = Math.round(layout.width * k);
  const H = Math.round(layout.height * k);
  const shapes: string[] = [];
  const texts: Extract<LayoutElement, { type: "text" }>[] = [];
  const images: OverlayOptions[] = [];
  for (const el of layout.elements) {
    if (el.type === "image") {
      const meta = await sharp(el.png).metadata();
      const box = fitted(el, meta.width ?? 1, meta.height ?? 1);
      const input = await sharp(el.png).resize(Math.max(1, Math.round(box.width * k)), Math.max(1, Math.round(box.height * k))).png().toBuffer();
      images.push({ input, left: Math.round(box.x * k), top: Math.round(box.y * k) });
    } else if (el.type === "rect") {
      shapes.push(
        `<rect x="${el.x * k}" y="${el.y * k}" width="${el.width * k}" height="${el.height * k}" fill="${el.fill ? svgColor(el.fill) : "none"}" stroke="${el.stroke ? svgColor(el.stroke) : "none"}" stroke-width="${(el.strokeWidth ?? 1) * k}"/>`,
      );
    } else if (el.type === "line") {
      shapes.push(`<line x1="${el.x1 * k}" y1="${el.y1 * k}" x2="${el.x2 * k}" y2="${el.y2 * k}" stroke="${svgColor(el.color)}" stroke-width="${(el.width ?? 1) * k}"/>`);
    } else if (el.type === "qr") {
      const { count, dark } = qrModules(el.data);
      const quiet = 2;
      const m = (el.size * k) / (count + quiet * 2);
      shapes.push(`<rect x="${el.x * k}" y="${el.y * k}" width="${el.size * k}" height="${el.size * k}" fill="#fff"/>`);
      let d = "";
      for (let r = 0; r < count; r++) {
        for (let c = 0; c < count; c++) if (dark(r, c)) d += `M${el.x * k + (c + quiet) * m} ${el.y * k + (r + quiet) * m}h${m}v${m}h-${m}z`;
      }
      shapes.push(`<path d="${d}" fill="#000" shape-rendering="crispEdges"/>`);
    } else {
      texts.push(el);
    }
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}"><rect width="100%" height="100%" fill="#fffdf7"/>${shapes.join("")}</svg>`;
  const composites: OverlayOptions[] = [...images];
  for (const el of texts) {
    if (!el.text.trim()) continue;
    const px = el.size * k;
    // Pango crops the image to the ink; a transparent strut ("Ậy") fixes the top and left edges so
    // lines sit on the same baseline whatever their letters.
    const { data, info } = await sharp({
      text: {
        text: `<span alpha="1">${STRUT}</span><span foreground="${svgColor(el.color)}">${escapeMarkup(el.text)}</span>`,
        font: `${PANGO_FACE[el.font]} ${px.toFixed(1)}px`,
        fontfile: fontPath(el.font),
        dpi: 72,
        rgba: true,
      },
    })
      .png()
      .toBuffer({ resolveWithObject: true });
    const width = textWidth(el.text, el.font, el.size) * k;
    const strut = textWidth(STRUT, el.font, el.size) * k;
    const x0 = el.align === "center" ? el.x * k - width / 2 : el.align === "right" ? el.x * k - width : el.x * k;
    const left = x0 - strut;
    const top = (el.y - inkTop(el.font, el.size)) * k;
    if (info.width > W || info.height > H) continue;
    composites.push({ input: data, left: clamp(Math.round(left), 0, W - info.width), top: clamp(Math.round(top), 0, H - info.height) });
  }
  return sharp(Buffer.from(svg)).composite(composites).png({ compressionLevel: 9, palette: true }).toBuffer();
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, v));
}

/** Joins single-page PDFs into one document (a batch download). */
export async function mergePdfs(files: Uint8Array[]): Promise<Uint8Array> {
  const out = await pdf().PDFDocument.create();
  out.setProducer("CNNT Tiêu biểu");
  for (const bytes of files) {
    const src = await pdf().PDFDocument.load(bytes, { updateMetadata: false });
    const pages = await out.copyPages(src, src.getPageIndices());
    for (const p of pages) out.addPage(p);
  }
  return out.save({ useObjectStreams: false });
}
