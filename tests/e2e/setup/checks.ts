/** Checks a page as a person and an accessibility auditor would: axe-core, overflow, the error page. */
import fs from "node:fs";
import { createRequire } from "node:module";

import type { Page } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/** axe-core violations of serious or critical impact (evaluated: the CSP refuses injected script tags). */
export async function seriousViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE);
  const result = await page.evaluate(async () => {
    type Result = { violations: { id: string; impact: string; nodes: { target: string[]; failureSummary?: string }[] }[] };
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<Result> } }).axe;
    return axe.run(document, { resultTypes: ["violations"] });
  });
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 4).join(", ")}`);
}

/** How far the page is wider than the screen, and the first elements that stick out. */
export async function horizontalOverflow(page: Page): Promise<{ overflow: number; culprits: string[] }> {
  return page.evaluate(() => {
    const root = document.scrollingElement ?? document.documentElement;
    // Inside a scroller that clips it: for an absolutely positioned element (a visually hidden label)
    // only a scroller at or above its containing block does; a fixed one no scroller does.
    const inside = (el: Element) => {
      const position = getComputedStyle(el).position;
      if (position === "fixed") return false;
      let beforeContainingBlock = position === "absolute";
      for (let p = el.parentElement; p; p = p.parentElement) {
        const style = getComputedStyle(p);
        if (beforeContainingBlock && (style.position !== "static" || style.transform !== "none")) beforeContainingBlock = false;
        if (!beforeContainingBlock && /(auto|scroll|hidden|clip)/.test(style.overflowX)) return true;
      }
      return false;
    };
    return {
      overflow: root.scrollWidth - window.innerWidth,
      culprits: [...document.querySelectorAll("body *")]
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1 && !inside(el))
        .slice(0, 5)
        .map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${typeof el.className === "string" && el.className ? `.${el.className.split(" ").join(".")}` : ""}`),
    };
  });
}
