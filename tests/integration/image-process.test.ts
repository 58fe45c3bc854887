/**
 * The image process (app/utils/image-worker.server.ts, app/utils/image-process.server.ts): a photo's
 * variants are made in a child process at a lower CPU priority, byte for byte what the transforms
 * make in this process; a file libvips cannot read is refused as before; an image process that dies
 * answers 503 for the photos it held and the next photo starts a new one; IMAGE_PROCESS=0 keeps the
 * work here.
 */
import fs from "node:fs";

import sharp from "sharp";
import { afterEach, describe, expect, it, vi } from "vitest";

import { resetEnv } from "../../app/utils/env.server";
import { AppError } from "../../app/utils/errors";
import { IMAGE_PROCESS_NICE, renderVariants } from "../../app/utils/image-render.server";
import { renderPhoto } from "../../app/utils/image-worker.server";

/** This process's children running the image process, with their nice value. */
function imageChildren(): { pid: number; nice: number }[] {
  const children = fs.readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  return children.flatMap((pid) => {
    try {
      if (!fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("image-process")) return [];
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      return [{ pid, nice: Number(fields[16]) }]; // field 19 of stat: nice
    } catch {
      return [];
    }
  });
}

const photo = () =>
  sharp({ create: { width: 1600, height: 1200, channels: 3, background: { r: 180, g: 60, b: 40 } } })
    .composite([{ input: Buffer.from('<svg width="400" height="300"><circle cx="200" cy="150" r="120" fill="#2a6"/></svg>'), top: 100, left: 200 }])
    .jpeg()
    .withMetadata({ orientation: 6 })
    .toBuffer();

afterEach(() => {
  delete process.env.IMAGE_PROCESS;
  resetEnv();
});

describe("the image process", () => {
  it("makes the variants in a child process at a lower priority, as this process makes them", async () => {
    const bytes = await photo();
    const there = await renderPhoto(bytes);
    const children = imageChildren();
    expect(children).toHaveLength(1);
    expect(children[0].nice).toBe(IMAGE_PROCESS_NICE);
    const here = await renderVariants(bytes);
    expect(there.width).toBe(here.width);
    expect(there.height).toBe(here.height);
    expect(there.outputs.map((o) => [o.format, o.nominal, o.width, o.height])).toEqual(here.outputs.map((o) => [o.format, o.nominal, o.width, o.height]));
    for (const [i, o] of there.outputs.entries()) {
      expect(Buffer.isBuffer(o.data)).toBe(true);
      // JPEG and WebP come out byte for byte; the AVIF encoder's threads make equivalent, not equal, files.
      if (o.format !== "avif") expect(o.data.equals(here.outputs[i].data), `${o.nominal}.${o.format}`).toBe(true);
      const meta = await sharp(o.data).metadata();
      expect([meta.width, meta.height, meta.exif, meta.orientation]).toEqual([o.width, o.height, undefined, undefined]);
    }
    // Upright (EXIF 6 turns a quarter): the landscape source comes out portrait.
    expect(there.height).toBeGreaterThan(there.width);
  });

  it("refuses a file libvips cannot read with a plain error (worded for the user by the caller)", async () => {
    const error = await renderPhoto(Buffer.from("not a photo at all")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(AppError);
  });

  it("answers 503 for the photos an image process held when it dies; the next photo starts another", async () => {
    const bytes = await photo();
    await renderPhoto(bytes);
    const [first] = imageChildren();
    // The operator is told (console.error, which the test setup otherwise treats as a defect).
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const held = renderPhoto(bytes);
    process.kill(first.pid, "SIGKILL");
    const error = (await held.catch((e: unknown) => e)) as AppError;
    expect(error).toBeInstanceOf(AppError);
    expect(error.status).toBe(503);
    expect(String(logged.mock.calls[0])).toContain("image process ended (SIGKILL) with 1 photo(s) waiting");
    const again = await renderPhoto(bytes);
    expect(again.outputs).toHaveLength(9);
    const [second] = imageChildren();
    expect(second.pid).not.toBe(first.pid);
  });

  it("IMAGE_PROCESS=0: the variants are made in this process", async () => {
    process.env.IMAGE_PROCESS = "0";
    resetEnv();
    const before = imageChildren().map((c) => c.pid);
    for (const c of before) process.kill(c, "SIGKILL");
    await new Promise((r) => setTimeout(r, 100));
    const out = await renderPhoto(await photo());
    expect(out.outputs).toHaveLength(9);
    expect(imageChildren()).toHaveLength(0);
  });
});
