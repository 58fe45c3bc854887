/**
 * Issue 12: app/utils/fonts.server.ts (re-exported by pdf.server.ts) swaps pdf-lib's JavaScript deflate for Node's zlib (pdf-lib has
 * no option for it). That reaches into pdf-lib's pako, so pdf-lib is pinned and this test checks
 * what the swap relies on: the version, pako's `deflate` being what pdf-lib calls, and the PDF
 * staying valid (a Flate stream that inflates back to the page content).
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import zlib from "node:zlib";

import { PDFDocument, PDFRawStream, StandardFonts } from "pdf-lib";
import { describe, expect, it } from "vitest";

import "../../app/utils/pdf.server";

const require = createRequire(import.meta.url);

describe("pdf-lib with native deflate", () => {
  it("is the pinned version", () => {
    const pkg = JSON.parse(fs.readFileSync("package.json", "utf8")) as { dependencies: Record<string, string> };
    expect(pkg.dependencies["pdf-lib"]).toBe("1.17.1");
    expect((require("pdf-lib/package.json") as { version: string }).version).toBe("1.17.1");
  });

  it("calls the swapped pako.deflate, and the streams inflate back", async () => {
    const pako = createRequire(require.resolve("pdf-lib"))("pako") as { deflate: ((d: Uint8Array) => Uint8Array) & { native?: boolean } };
    expect(pako.deflate.native).toBe(true);
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    doc.addPage().drawText("CNNT tieu bieu 2026", { font, size: 12, x: 50, y: 700 });
    const bytes = await doc.save();
    const again = await PDFDocument.load(bytes);
    const streams = again.context
      .enumerateIndirectObjects()
      .map(([, o]) => o)
      .filter((o): o is PDFRawStream => o instanceof PDFRawStream);
    const contents = streams.map((s) => {
      try {
        return zlib.inflateSync(Buffer.from(s.contents)).toString("latin1");
      } catch {
        return "";
      }
    });
    expect(contents.some((c) => c.includes("Tj") || c.includes("TJ"))).toBe(true);
  });
});
