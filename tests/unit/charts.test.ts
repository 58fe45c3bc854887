/**
 * Charts are readable on a phone: drawn at 1:1 (no viewBox, so a 360 px screen never shrinks
 * them), every text at least 12 px, bars horizontal (a share of the width), long labels wrapped.
 */
import { readFileSync } from "node:fs";

import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";

import { BarChart } from "../../app/components/BarChart";
import { programmeChartSvg } from "../../app/components/ProgrammeChart";
import { wrapLabel } from "../../app/utils/chart-text";

function checkReadable(svg: string) {
  expect(svg).not.toMatch(/viewBox/i);
  const texts = [...svg.matchAll(/<text\b([^>]*)>/g)].map((m) => m[1]);
  expect(texts.length).toBeGreaterThan(0);
  for (const attrs of texts) {
    const size = Number(/font-size="(\d+(?:\.\d+)?)"/.exec(attrs)?.[1]);
    expect(size, attrs).toBeGreaterThanOrEqual(12);
  }
  // Horizontal bars: each bar's width is a share of the chart's width, its height fixed.
  for (const m of svg.matchAll(/<rect\b([^>]*)>/g)) {
    expect(m[1]).toMatch(/width="\d+(\.\d+)?%"/);
    expect(m[1]).toMatch(/height="\d+"/);
  }
}

describe("phone-readable charts", () => {
  it("draws the statistics bar chart at 1:1 with 13 px text and wrapped long labels", () => {
    const html = renderToStaticMarkup(
      createElement(BarChart, {
        title: "Theo nhóm",
        items: [
          { label: "Nhóm 2: Nhóm sản phẩm chế biến nông, lâm, thủy sản và thực phẩm", value: 31 },
          { label: "Nhóm 3: Nhóm sản phẩm thiết bị, máy móc, dụng cụ và phụ tùng cơ khí", value: 0 },
        ],
      }),
    );
    checkReadable(html);
    expect(html).toContain(">Nhóm 2: Nhóm sản phẩm chế biến<");
    expect(html).toContain(">nông, lâm, thủy sản và thực phẩm<");
    expect(html).toContain('width="100%"');
    expect(html).toContain('width="0%"');
  });

  it("draws the programme chart the same way, the 100 % line where it belongs", () => {
    const svg = programmeChartSvg({
      id: "c",
      title: "Tỷ lệ",
      lines: [
        { code: "a", name: "Thừa Thiên Huế", percentOfPlan: 580, behind: false },
        { code: "b", name: "Hà Nội", percentOfPlan: 60, behind: true },
      ],
    });
    checkReadable(svg);
    // The scale runs to 580 % (576 % of plan, rounded up): the 100 % line sits at 17.2 % of the width.
    expect(svg).toContain('<line x1="17.2%"');
    expect(svg).toContain('width="100%" height="12" class="bar"');
  });

  it("sets no chart text below 12 px in the style sheets either", () => {
    for (const file of ["app/styles/public.css", "app/styles/programme.css"]) {
      const css = readFileSync(file, "utf8");
      for (const m of css.matchAll(/\.(?:programme-)?chart[^{]*text[^{]*\{([^}]*)\}/g)) {
        const px = /font-size:\s*(\d+)px/.exec(m[1]);
        if (px) expect(Number(px[1]), m[0]).toBeGreaterThanOrEqual(12);
      }
    }
  });

  it("wraps at words and cuts what does not fit two lines", () => {
    expect(wrapLabel("Gốm", 34)).toEqual(["Gốm"]);
    expect(wrapLabel("một hai ba bốn năm sáu", 8)).toEqual(["một hai", "ba bốn…"]);
    expect(wrapLabel("Thành phố Hồ Chí Minh", 12, 1)).toEqual(["Thành phố…"]);
  });
});
