/**
 * A rendered page's Response (remix-express.server.ts): its text is written by the adapter as it is,
 * and anything that reads it as a Response — body stream, text(), a clone — gets the same page.
 */
import { describe, expect, it } from "vitest";

import { BODY_TEXT, textResponse } from "../../app/utils/remix-express.server";

const PAGE = "<!DOCTYPE html><html lang=\"vi\"><body><h1>Sản phẩm công nghiệp nông thôn tiêu biểu</h1></body></html>";

describe("textResponse", () => {
  it("keeps the text for the adapter and answers with its status and headers", () => {
    const response = textResponse(PAGE, { status: 404, headers: { "Content-Type": "text/html; charset=utf-8", "X-Test": "1" } });
    expect((response as Response & { [BODY_TEXT]?: string })[BODY_TEXT]).toBe(PAGE);
    expect(response.status).toBe(404);
    expect(response.headers.get("X-Test")).toBe("1");
    expect(response.bodyUsed).toBe(false);
    expect(response).toBeInstanceOf(Response);
  });

  it("reads as the same page through text(), the body stream and a clone", async () => {
    const response = textResponse(PAGE, { headers: { "Content-Type": "text/html; charset=utf-8" } });
    const copy = response.clone();
    expect(await response.text()).toBe(PAGE);
    expect(response.bodyUsed).toBe(true);
    const chunks: Uint8Array[] = [];
    const reader = copy.body!.getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) chunks.push(read.value);
    expect(Buffer.concat(chunks).toString("utf8")).toBe(PAGE);
    expect(new TextDecoder().decode(await textResponse(PAGE, {}).arrayBuffer())).toBe(PAGE);
    expect(await textResponse("{\"a\":1}", {}).json()).toEqual({ a: 1 });
  });
});
