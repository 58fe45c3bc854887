/**
 * React 18.3's streamed render pads a view with NUL bytes when a multi-byte character does not fit
 * at its end (facebook/react#26228). The page's text crossed such a boundary on /programme ("Dữ
 * li\0ệu minh họa"). Pages are now rendered whole with `renderToString` (app/entry.server.tsx), which
 * has no views: these tests show the upstream bug is still there for streams and absent from strings.
 */
import { PassThrough, type Writable } from "node:stream";
import { text } from "node:stream/consumers";

import { createElement } from "react";
import { renderToPipeableStream, renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";

/** Short Vietnamese texts (each a separate chunk for React) after `shift` ASCII letters: some 3-byte "ệ" meets the view's end. */
function page(shift: number) {
  const spans = Array.from({ length: 60 }, (_, i) => createElement("span", { key: i }, "Dữ liệu minh họa ệệệ"));
  return createElement("p", null, "a".repeat(shift), ...spans);
}

function streamed(shift: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const out = new PassThrough();
    text(out).then(resolve, reject);
    const { pipe } = renderToPipeableStream(page(shift), {
      onAllReady: () => pipe(out as unknown as Writable),
      onShellError: reject,
    });
  });
}

describe("React's render without NUL padding", () => {
  it("React 18's streamed render pads a view (the upstream bug; if this fails, streaming is safe again)", async () => {
    const padded = [];
    for (let shift = 0; shift < 8; shift++) if ((await streamed(shift)).includes("\u0000")) padded.push(shift);
    expect(padded).not.toHaveLength(0);
  });

  it("the string render every page goes through carries no NUL at any shift, and the text is whole", () => {
    for (let shift = 0; shift < 8; shift++) {
      const html = renderToString(page(shift));
      expect(html).not.toContain("\u0000");
      expect(html.split("Dữ liệu minh họa ệệệ")).toHaveLength(61);
    }
  });
});
