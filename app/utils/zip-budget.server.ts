import type JSZip from "jszip";

/**
 * Whether the archive unpacks to at most `limit` bytes, counted while inflating through JSZip's
 * public `nodeStream` (not its private `_data`, and not the sizes the archive declares, which a zip
 * bomb may fake). Chunks are discarded as they come and inflating stops at the limit, so memory
 * stays bounded. A part that cannot be inflated counts as what it gave so far (the workbook reader
 * then refuses the file).
 */
export async function unpacksWithin(zip: JSZip, limit: number): Promise<boolean> {
  let total = 0;
  for (const file of Object.values(zip.files)) {
    if (file.dir) continue;
    const within = await new Promise<boolean>((resolve) => {
      const stream = file.nodeStream("nodebuffer") as NodeJS.ReadableStream & { destroy?: () => void };
      stream.on("data", (chunk: Buffer) => {
        total += chunk.length;
        if (total > limit) {
          stream.pause();
          stream.removeAllListeners("data");
          resolve(false);
        }
      });
      stream.on("end", () => resolve(true));
      stream.on("error", () => resolve(true));
    });
    if (!within) return false;
  }
  return true;
}
