/**
 * Issue 11: no browser code reads a value imported from a `.server` module (the classic compiler
 * empties those modules in the client bundle, so such a page renders on the server and crashes on
 * hydration). The fixtures show the check catches the cases that broke the organiser's pages.
 */
import fs from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { checkApp, checkModule } from "./lib/server-values";

const fixture = (name: string) => fs.readFileSync(path.resolve("tests/fixtures/server-values", name), "utf8");

describe("browser code never reads a value from a .server module", () => {
  it("holds for every route, component and pure module of the app", () => {
    const findings = checkApp(path.resolve("app")).map((f) => `${f.file}:${f.line} reads ${f.name} from ${f.from} (in ${f.usedIn})`);
    expect(findings).toEqual([]);
  });

  it("catches a component and a module-level schema that read server values, not the loader or action", () => {
    const findings = checkModule("routes/bad.tsx", fixture("bad-route.tsx.fixture"), "route");
    expect(findings.map((f) => `${f.name}@${f.usedIn}`).sort()).toEqual(["COUNCIL_ROLES@default export", "STATUS_NAMES@AdvanceSchema"]);
  });

  it("lets the loader, the action, headers and helpers only they call read server values", () => {
    expect(checkModule("routes/good.tsx", fixture("good-route.tsx.fixture"), "route")).toEqual([]);
  });

  it("treats a component module as browser code throughout", () => {
    const findings = checkModule("components/Limit.tsx", fixture("bad-component.tsx.fixture"), "browser");
    expect(findings.map((f) => f.name)).toEqual(["MAX_UPLOAD_REQUEST_BYTES"]);
  });

  it("catches a re-export of a server value from a route", () => {
    const text = 'export { STATUS_NAMES } from "~/models/round/round.server";\nexport { loader } from "~/models/x.server";\n';
    expect(checkModule("routes/re.tsx", text, "route").map((f) => f.name)).toEqual(["STATUS_NAMES"]);
  });
});
