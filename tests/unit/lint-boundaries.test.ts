/**
 * Issue 12: the import boundaries are lint rules (eslint.config.js), and they fail on a forbidden
 * import. Lints hand-written sources as if they were files at these paths, with the project's config.
 */
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const eslint = new ESLint();

async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

describe("import boundaries", () => {
  it("a route never imports db/", async () => {
    const found = await restricted("app/routes/bad-route.tsx", 'import { rounds } from "../../db/schema";\nexport const x = rounds;\n');
    expect(found).toEqual([expect.stringContaining("never db/ directly")]);
  });

  it("a component never imports db/ or a .server module", async () => {
    expect(await restricted("app/components/Bad.tsx", 'import { rounds } from "../../db/schema";\nexport const x = rounds;\n')).toHaveLength(1);
    const server = await restricted("app/components/Bad.tsx", 'import { getRound } from "~/models/round/round.server";\nexport const x = getRound;\n');
    expect(server).toEqual([expect.stringContaining(".server modules are empty")]);
  });

  it("only app/utils/auth.server.ts imports lucia", async () => {
    const code = 'import { Lucia } from "lucia";\nexport const x = Lucia;\n';
    expect(await restricted("app/models/account/user.server.ts", code)).toEqual([expect.stringContaining("Only app/utils/auth.server.ts imports lucia")]);
    expect(await restricted("app/utils/auth.server.ts", code)).toEqual([]);
  });

  it("lets a route import a pure rules module and a model", async () => {
    const code = 'import { STATUS_NAMES } from "~/models/round/rules";\nimport { getRoundInScope } from "~/models/round/round.server";\nexport const x = [STATUS_NAMES, getRoundInScope];\n';
    expect(await restricted("app/routes/good-route.tsx", code)).toEqual([]);
  });
});

describe("typed action data (issue 12 item 5)", () => {
  async function casts(code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath: "app/routes/bad-form.tsx" });
    return result!.messages.filter((m) => m.ruleId === "no-restricted-syntax").map((m) => m.message);
  }
  const head = 'import { useActionData, useFetcher } from "@remix-run/react";\nexport async function action() { return null; }\n';

  it("refuses `useActionData() as {…}` and a cast fetcher's data", async () => {
    expect(await casts(`${head}export function A() { const d = useActionData() as { formError?: string }; return d; }\n`)).toEqual([
      expect.stringContaining("useActionData<typeof action>()"),
    ]);
    expect(await casts(`${head}export function B() { const fetcher = useFetcher(); return fetcher.data as { ok: boolean }; }\n`)).toEqual([
      expect.stringContaining("useFetcher<typeof action>()"),
    ]);
  });

  it("lets the typed form through", async () => {
    expect(await casts(`${head}export function C() { const d = useActionData<typeof action>(); return d; }\n`)).toEqual([]);
  });
});
