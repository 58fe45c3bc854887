/** Every action code the app writes to the audit log has a Vietnamese label. */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { AUDIT_ACTION_GROUPS, AUDIT_ACTION_LABELS, auditActionLabel, auditEntityLabel, AUDIT_ENTITY_LABELS } from "../../app/models/shared/audit-labels";

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

/** Action codes written by recordAudit({ action: … }) calls: literals, both arms of a ternary, templates as patterns. */
function writtenActions() {
  const literals = new Set<string>();
  const templates = new Set<string>();
  const entities = new Set<string>();
  for (const file of sourceFiles("app")) {
    if (file.endsWith("audit-labels.ts")) continue;
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/\baction: ([^,\n]+)/g)) {
      const expr = m[1];
      for (const s of expr.matchAll(/"([a-z_]+(?:\.[a-z_]+)+)"/g)) literals.add(s[1]);
      for (const t of expr.matchAll(/`([a-z_.${}A-Za-z]+)`/g)) templates.add(t[1]);
    }
    for (const m of text.matchAll(/\bentity: "([a-z_]+)"/g)) entities.add(m[1]);
  }
  return { literals, templates, entities };
}

describe("audit labels", () => {
  const { literals, templates, entities } = writtenActions();

  it("finds the audit calls it checks (the scan itself works)", () => {
    expect(literals.size).toBeGreaterThan(30);
    expect(literals).toContain("programme.figure.correct");
    expect(templates.size).toBeGreaterThan(0);
  });

  it("labels every literal action code in Vietnamese", () => {
    const missing = [...literals].filter((code) => !AUDIT_ACTION_LABELS[code]);
    expect(missing).toEqual([]);
    expect(auditActionLabel("programme.figure.correct")).toBe("Đính chính số liệu khuyến công đã duyệt");
  });

  it("labels every expansion of a templated action code (media.${kind}_add, entry.screen_${decision})", () => {
    for (const template of templates) {
      const pattern = new RegExp(`^${template.replace(/\./g, "\\.").replace(/\$\{[^}]+\}/g, "[a-z_]+")}$`);
      expect(Object.keys(AUDIT_ACTION_LABELS).filter((code) => pattern.test(code)).length, template).toBeGreaterThanOrEqual(2);
    }
  });

  it("names every audited entity and puts every action in a filter group", () => {
    expect([...entities].filter((e) => !AUDIT_ENTITY_LABELS[e])).toEqual([]);
    expect(auditEntityLabel("programme_figure")).toBe("Số liệu khuyến công");
    const ungrouped = Object.keys(AUDIT_ACTION_LABELS).filter((code) => !AUDIT_ACTION_GROUPS.some((g) => code.startsWith(g.prefix)));
    expect(ungrouped).toEqual([]);
  });

  it("shows an unknown code as it is rather than nothing", () => {
    expect(auditActionLabel("score.submit")).toBe("score.submit");
  });
});
