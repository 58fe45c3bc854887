/** Issue 12: the unpacked-size guard of the XLSX importers uses JSZip's public stream API. */
import JSZip from "jszip";
import { describe, expect, it } from "vitest";

import { unpacksWithin } from "../../app/utils/zip-budget.server";

async function zipOf(files: Record<string, string>) {
  const zip = new JSZip();
  for (const [name, text] of Object.entries(files)) zip.file(name, text);
  return JSZip.loadAsync(await zip.generateAsync({ type: "uint8array", compression: "DEFLATE" }));
}

describe("unpacksWithin", () => {
  it("counts every part's inflated bytes against the limit", async () => {
    const zip = await zipOf({ "a.xml": "0".repeat(600_000), "b.xml": "1".repeat(600_000) });
    expect(await unpacksWithin(zip, 1_200_000)).toBe(true);
    expect(await unpacksWithin(zip, 1_199_999)).toBe(false);
  });

  it("stops a bomb at the limit", async () => {
    const zip = await zipOf({ "xl/worksheets/sheet1.xml": "0".repeat(60 * 1024 * 1024) });
    expect(await unpacksWithin(zip, 50 * 1024 * 1024)).toBe(false);
  });
});
