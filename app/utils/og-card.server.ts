/**
 * Open Graph cards (1200 × 630 PNG) for shared links: a title and a few lines on the brand colour,
 * set by sharp's `text` input in Be Vietnam Pro (Vietnamese glyphs), kept in memory per content.
 */
import crypto from "node:crypto";
import path from "node:path";

import sharp, { type OverlayOptions } from "sharp";

const FONT_DIR = path.resolve("node_modules/@expo-google-fonts/be-vietnam-pro");
const BOLD = path.join(FONT_DIR, "700Bold/BeVietnamPro_700Bold.ttf");
const REGULAR = path.join(FONT_DIR, "400Regular/BeVietnamPro_400Regular.ttf");
const W = 1200;
const H = 630;
const MAX_CACHED = 300;
const cache = new Map<string, Buffer>();

function escapeMarkup(text: string): string {
  return text.replace(/[&<>]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c]!);
}

async function textImage(text: string, options: { bold: boolean; px: number; width: number; color: string }) {
  return sharp({
    text: {
      text: `<span foreground="${options.color}">${escapeMarkup(text)}</span>`,
      font: `Be Vietnam Pro ${options.bold ? "Bold" : ""} ${options.px}px`,
      fontfile: options.bold ? BOLD : REGULAR,
      width: options.width,
      dpi: 72,
      rgba: true,
      wrap: "word",
    },
  })
    .png()
    .toBuffer({ resolveWithObject: true });
}

/** The card for a title with a kicker above and detail lines below. */
export async function ogCard(input: { kicker: string; title: string; lines: string[] }): Promise<Buffer> {
  const key = crypto.createHash("sha256").update(JSON.stringify(input)).digest("hex");
  const hit = cache.get(key);
  if (hit) return hit;
  const margin = 72;
  const inner = W - margin * 2;
  const background = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><rect width="100%" height="100%" fill="#a31d1d"/><rect y="${H - 90}" width="100%" height="90" fill="#7a1414"/></svg>`,
  );
  const kicker = await textImage(input.kicker, { bold: false, px: 30, width: inner, color: "#ffe9c2" });
  const title = await textImage(input.title.slice(0, 140), { bold: true, px: 60, width: inner, color: "#ffffff" });
  const lines = await textImage(input.lines.join("\n").slice(0, 300), { bold: false, px: 30, width: inner, color: "#ffffff" });
  const footer = await textImage("CNNT Tiêu biểu — Bộ Công Thương", { bold: true, px: 30, width: inner, color: "#ffffff" });
  const composites: OverlayOptions[] = [];
  let top = margin;
  for (const img of [kicker, title, lines]) {
    if (top + img.info.height > H - 110) break;
    composites.push({ input: img.data, left: margin, top });
    top += img.info.height + 28;
  }
  composites.push({ input: footer.data, left: margin, top: H - 90 + Math.max(0, Math.round((90 - footer.info.height) / 2)) });
  const png = await sharp(background).composite(composites).png({ compressionLevel: 9, palette: true }).toBuffer();
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  cache.set(key, png);
  return png;
}
