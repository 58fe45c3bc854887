/** The Be Vietnam Pro faces: where the TTF is, one parsed copy per face, text widths and wrapping by the font's own metrics; pdf-lib's deflate swapped for Node's zlib. */
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import zlib from "node:zlib";

import type fontkit from "@pdf-lib/fontkit";

import { onFirstUse } from "./on-first-use.server";

const fontkitLib = onFirstUse<typeof fontkit>("@pdf-lib/fontkit");

export type FontName = "regular" | "bold" | "italic" | "semibold";

const FONT_FILES: Record<FontName, string> = {
  regular: "400Regular/BeVietnamPro_400Regular.ttf",
  bold: "700Bold/BeVietnamPro_700Bold.ttf",
  italic: "400Regular_Italic/BeVietnamPro_400Regular_Italic.ttf",
  semibold: "600SemiBold/BeVietnamPro_600SemiBold.ttf",
};
/** Pango's name for each face when sharp renders text from the TTF. */
export const PANGO_FACE: Record<FontName, string> = {
  regular: "Be Vietnam Pro",
  bold: "Be Vietnam Pro Bold",
  italic: "Be Vietnam Pro Italic",
  semibold: "Be Vietnam Pro SemiBold",
};

const require = createRequire(import.meta.url);

/**
 * pdf-lib compresses every stream (fonts, page contents) with pako, in JavaScript; the same Flate
 * from Node's native zlib is several times faster and makes the same valid PDF. pdf-lib calls only
 * `pako.deflate(data)`; jszip, which shares pako, uses its Deflate class and is untouched.
 * pdf-lib offers no compression option, so this reaches into its pako: pdf-lib is pinned (exact
 * version in package.json) and tests/unit/pdf-deflate.test.ts fails when an upgrade changes what
 * it relies on.
 */
function useNativeDeflate() {
  const pako = createRequire(require.resolve("pdf-lib"))("pako") as { deflate: ((data: Uint8Array, options?: unknown) => Uint8Array) & { native?: boolean } };
  if (pako.deflate.native) return;
  const original = pako.deflate;
  const native = (data: Uint8Array, options?: unknown) => (options ? original(data, options) : zlib.deflateSync(data, { level: 6 }));
  pako.deflate = Object.assign(native, { native: true });
}
useNativeDeflate();

/** The TTF shipped by the npm package, found by module resolution (cwd-independent). */
export function fontPath(name: FontName): string {
  try {
    return require.resolve(`@expo-google-fonts/be-vietnam-pro/${FONT_FILES[name]}`);
  } catch {
    return path.resolve(process.cwd(), "node_modules/@expo-google-fonts/be-vietnam-pro", FONT_FILES[name]);
  }
}

/**
 * pdf-lib parses the TTF for every document it embeds it in; parsed fonts are immutable, so a
 * fontkit that hands back the same parsed font for the same bytes saves most of a render's time.
 */
const parsed = new WeakMap<Uint8Array, ReturnType<typeof fontkit.create>>();
export const cachingFontkit = {
  create(data: Uint8Array, postscriptName?: string) {
    let f = parsed.get(data);
    if (!f) {
      f = fontkitLib().create(data as Buffer, postscriptName);
      parsed.set(data, f);
    }
    return f;
  },
} as unknown as typeof fontkit;

const fontBytes = new Map<FontName, Uint8Array>();
const fontMetrics = new Map<FontName, ReturnType<typeof fontkit.create>>();

export function bytesOf(name: FontName): Uint8Array {
  let b = fontBytes.get(name);
  if (!b) {
    b = new Uint8Array(fs.readFileSync(fontPath(name)));
    fontBytes.set(name, b);
  }
  return b;
}

export function metricsOf(name: FontName) {
  let f = fontMetrics.get(name);
  if (!f) {
    f = fontkitLib().create(Buffer.from(bytesOf(name)));
    fontMetrics.set(name, f);
  }
  return f;
}

/** Width of a line of text in points, by the font's own advance widths (kerning included). */
export function textWidth(text: string, font: FontName, size: number): number {
  return widthAt1000(text, font) * (size / 1000);
}

// Shaping is the slow part of measuring; certificates repeat most strings, so widths are cached.
const widthCache = new Map<string, number>();
function widthAt1000(text: string, font: FontName): number {
  const key = `${font}\u0000${text}`;
  let w = widthCache.get(key);
  if (w === undefined) {
    const f = metricsOf(font);
    w = (f.layout(text).advanceWidth / f.unitsPerEm) * 1000;
    if (widthCache.size > 20_000) widthCache.clear();
    widthCache.set(key, w);
  }
  return w;
}

/** Splits text into lines no wider than maxWidth (words kept whole unless one alone is too wide). */
export function wrapText(text: string, font: FontName, size: number, maxWidth: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split(/\r?\n/)) {
    let line = "";
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      const candidate = line ? `${line} ${word}` : word;
      if (textWidth(candidate, font, size) <= maxWidth || !line) {
        line = candidate;
      } else {
        lines.push(line);
        line = word;
      }
    }
    lines.push(line);
  }
  return lines;
}
