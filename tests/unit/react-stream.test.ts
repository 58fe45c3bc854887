/**
 * React 18.3's streamed render pads a view with NUL bytes when a multi-byte character does not fit
 * at its end (facebook/react#26228). The page's text crossed such a boundary on /programme ("Dữ
 * li\0ệu minh họa"); every server render now drops that padding (app/utils/react-stream.server.ts).
 */
import { PassThrough, type Writable } from "node:stream";
import { text } from "node:stream/consumers";

import { createElement } from "react";
import { renderToPipeableStream } from "react-dom/server";
import { describe, expect, it } from "vitest";

import { REACT_VIEW_SIZE, stripViewPadding, viewPaddingFilter } from "../../app/utils/react-stream.server";

/** Short Vietnamese texts (each a separate chunk for React) after `shift` ASCII letters: some 3-byte "ệ" meets the view's end. */
function page(shift: number) {
  const spans = Array.from({ length: 60 }, (_, i) => createElement("span", { key: i }, "Dữ liệu minh họa ệệệ"));
  return createElement("p", null, "a".repeat(shift), ...spans);
}

function render(shift: number, through: (out: PassThrough) => NodeJS.WritableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const out = new PassThrough();
    text(out).then(resolve, reject);
    const { pipe } = renderToPipeableStream(page(shift), {
      onAllReady: () => pipe(through(out) as unknown as Writable),
      onShellError: reject,
    });
  });
}

/** The first shift at which React's own output carries a NUL. */
async function paddedShift() {
  for (let shift = 0; shift < 8; shift++) if ((await render(shift, (out) => out)).includes("\u0000")) return shift;
  return null;
}

describe("React's streamed render without NUL padding", () => {
  it("React 18 itself pads the view (the upstream bug this works around)", async () => {
    // If React no longer pads, the workaround can go: this test then says so.
    expect(await paddedShift()).not.toBeNull();
  });

  it("the filter every page goes through drops it, and the text is whole", async () => {
    const shift = (await paddedShift())!;
    const html = await render(shift, (out) => {
      const filter = viewPaddingFilter();
      filter.pipe(out);
      return filter;
    });
    expect(html).not.toContain("\u0000");
    expect(html.split("Dữ liệu minh họa ệệệ")).toHaveLength(61);
  });

  it("leaves other chunks alone: short ones, and a full view that ends in text", () => {
    const short = new Uint8Array([60, 0, 0]);
    expect(stripViewPadding(short)).toBe(short);
    const full = new Uint8Array(REACT_VIEW_SIZE).fill(97);
    expect(stripViewPadding(full)).toBe(full);
    const padded = new Uint8Array(REACT_VIEW_SIZE).fill(97);
    padded.fill(0, REACT_VIEW_SIZE - 2);
    expect(stripViewPadding(padded).byteLength).toBe(REACT_VIEW_SIZE - 2);
  });
});
