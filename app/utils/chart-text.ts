/**
 * Text of the server-drawn SVG charts. The charts are drawn at 1:1 (no viewBox, so a phone never
 * scales them down): labels are real 13 px text above each bar, bars take a percentage of the
 * width. A label longer than a phone line is wrapped at a word, then cut with "…".
 */

/** The size every chart draws its text at, in CSS px (≥ 12 px on a 360 px phone). */
export const CHART_FONT_PX = 13;

/** Characters of 13 px text that fit a 360 px phone's chart line with room for the value. */
export const CHART_LINE_CHARS = 34;

/** Splits a label into at most `maxLines` lines of at most `width` characters, breaking at spaces. */
export function wrapLabel(text: string, width = CHART_LINE_CHARS, maxLines = 2): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    const next = line ? `${line} ${word}` : word;
    if (Array.from(next).length <= width || !line) line = next;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  if (lines.length <= maxLines && lines.every((l) => Array.from(l).length <= width)) return lines;
  const kept = lines.slice(0, maxLines).map((l) => (Array.from(l).length > width ? Array.from(l).slice(0, width).join("") : l));
  // The last line takes the rest, cut before the word that does not fit.
  const rest = [kept[kept.length - 1], ...lines.slice(maxLines)].join(" ");
  let cut = Array.from(rest).slice(0, Math.max(1, width - 1)).join("");
  const space = cut.lastIndexOf(" ");
  if (space > width / 2) cut = cut.slice(0, space);
  kept[kept.length - 1] = `${cut.replace(/[\s,;:·–-]+$/u, "")}…`;
  return kept;
}

/** A bar's share of the plot as an SVG percentage ("42.5%"), at least a visible sliver for a value above 0. */
export function barPercent(value: number, max: number, span = 100): string {
  if (!(max > 0) || !(value > 0)) return "0%";
  return `${Math.max(0.5, Math.round((Math.min(value, max) / max) * span * 10) / 10)}%`;
}
