/**
 * Finds code that the browser runs but that reads a value imported from a `.server` module.
 *
 * Remix's classic compiler empties `*.server` modules in the client bundle and drops a route's
 * `loader`, `action` and `headers` exports (and whatever only they reach). Anything else in a route
 * module — the component, `meta`, `links`, `handle`, `ErrorBoundary`, module-level code — runs in the
 * browser too, where such a value is `undefined`: the page renders on the server and crashes on
 * hydration. Components and pure modules run in the browser whole.
 */
import fs from "node:fs";
import path from "node:path";

import ts from "typescript";

/** Route exports the client bundle never contains. */
const SERVER_ONLY_EXPORTS = new Set(["loader", "action", "headers"]);

export type Finding = { file: string; line: number; name: string; from: string; usedIn: string };

const isServerModule = (specifier: string) => /\.server(\.[jt]sx?)?$/.test(specifier) || /(^|\/)\.server\//.test(specifier);

/** Value bindings (not `import type`, not `type X` specifiers) imported from `.server` modules. */
function serverValueImports(source: ts.SourceFile): Map<string, string> {
  const names = new Map<string, string>();
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const from = statement.moduleSpecifier.text;
    const clause = statement.importClause;
    if (!isServerModule(from) || !clause || clause.isTypeOnly) continue;
    if (clause.name) names.set(clause.name.text, from);
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) names.set(bindings.name.text, from);
    if (bindings && ts.isNamedImports(bindings)) {
      for (const element of bindings.elements) if (!element.isTypeOnly) names.set(element.name.text, from);
    }
  }
  return names;
}

/** Names a top-level statement declares (functions, classes, variables, enums). */
function declaredNames(statement: ts.Statement): string[] {
  if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) && statement.name) {
    return [statement.name.text];
  }
  if (ts.isVariableStatement(statement)) {
    const out: string[] = [];
    const collect = (name: ts.BindingName) => {
      if (ts.isIdentifier(name)) out.push(name.text);
      else for (const element of name.elements) if (!ts.isOmittedExpression(element)) collect(element.name);
    };
    for (const d of statement.declarationList.declarations) collect(d.name);
    return out;
  }
  return [];
}

/**
 * Whether the bundler may drop a top-level declaration nobody reads: functions, classes and variables
 * initialised with functions or literals. A variable initialised by a call (`z.object(…)`), a `new`, an
 * index or a property read may have side effects, so esbuild keeps it in the browser bundle even when
 * only the action reads it — and it then runs there.
 */
function droppable(statement: ts.Statement): boolean {
  if (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) return true;
  if (!ts.isVariableStatement(statement)) return false;
  const pure = (e: ts.Expression | undefined): boolean => {
    if (!e) return true;
    if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isTypeAssertionExpression(e)) return pure(e.expression);
    if (ts.isArrowFunction(e) || ts.isFunctionExpression(e) || ts.isClassExpression(e) || ts.isIdentifier(e)) return true;
    if (ts.isStringLiteral(e) || ts.isNumericLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e) || ts.isRegularExpressionLiteral(e)) return true;
    if ([ts.SyntaxKind.TrueKeyword, ts.SyntaxKind.FalseKeyword, ts.SyntaxKind.NullKeyword].includes(e.kind)) return true;
    if (ts.isArrayLiteralExpression(e)) return e.elements.every((x) => !ts.isSpreadElement(x) && pure(x));
    if (ts.isObjectLiteralExpression(e)) {
      return e.properties.every((p) =>
        ts.isPropertyAssignment(p) ? !ts.isComputedPropertyName(p.name) && pure(p.initializer) : ts.isShorthandPropertyAssignment(p) || ts.isMethodDeclaration(p),
      );
    }
    return false;
  };
  return statement.declarationList.declarations.every((d) => pure(d.initializer));
}

const isExported = (statement: ts.Statement) =>
  ts.canHaveModifiers(statement) && (ts.getModifiers(statement) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
const isTypeOnlyStatement = (statement: ts.Statement) =>
  ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement) || ts.isImportDeclaration(statement);

/** An identifier in a position that names a property or declares a binding, not one that reads it. */
function isNameOnly(n: ts.Identifier): boolean {
  const p = n.parent;
  if (!p) return false;
  if ((ts.isBindingElement(p) && p.propertyName === n) || (ts.isPropertyAssignment(p) && p.name === n)) return true;
  if ((ts.isBindingElement(p) || ts.isVariableDeclaration(p) || ts.isParameter(p)) && p.name === n) return true;
  if (ts.isJsxAttribute(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p)) return p.name === n;
  return false;
}

/** Identifiers a node reads as values (skips type positions and property names after a dot). */
function referencedIdentifiers(node: ts.Node): { name: string; node: ts.Identifier }[] {
  const out: { name: string; node: ts.Identifier }[] = [];
  const visit = (n: ts.Node) => {
    if (ts.isTypeNode(n) || ts.isInterfaceDeclaration(n) || ts.isTypeAliasDeclaration(n)) return;
    if (ts.isPropertyAccessExpression(n)) {
      visit(n.expression);
      return;
    }
    if (ts.isIdentifier(n) && !isNameOnly(n)) out.push({ name: n.text, node: n });
    n.forEachChild(visit);
  };
  visit(node);
  return out;
}

/**
 * Checks one module. `route` selects the route rule (server-only exports may read server values);
 * otherwise the whole module runs in the browser.
 */
export function checkModule(file: string, text: string, kind: "route" | "browser"): Finding[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith("x") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const serverNames = serverValueImports(source);
  const findings: Finding[] = [];
  const line = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart()).line + 1;

  // Re-exports straight from a `.server` module reach the browser unless they are server-only exports.
  for (const statement of source.statements) {
    if (!ts.isExportDeclaration(statement) || statement.isTypeOnly || !statement.moduleSpecifier) continue;
    if (!ts.isStringLiteral(statement.moduleSpecifier) || !isServerModule(statement.moduleSpecifier.text)) continue;
    const from = statement.moduleSpecifier.text;
    const clause = statement.exportClause;
    if (!clause || !ts.isNamedExports(clause)) {
      findings.push({ file, line: line(statement), name: "*", from, usedIn: "export *" });
      continue;
    }
    for (const element of clause.elements) {
      if (element.isTypeOnly || (kind === "route" && SERVER_ONLY_EXPORTS.has(element.name.text))) continue;
      findings.push({ file, line: line(element), name: element.name.text, from, usedIn: `export ${element.name.text}` });
    }
  }
  if (serverNames.size === 0) return findings;

  // Top-level units: what each declares, what it reads, and whether the browser keeps it as a root.
  type Unit = { label: string; names: string[]; refs: { name: string; node: ts.Identifier }[]; root: boolean };
  const units: Unit[] = [];
  const localExportAliases = new Map<string, string>(); // `export { x as loader }`
  for (const statement of source.statements) {
    if (ts.isExportDeclaration(statement) && !statement.moduleSpecifier && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      for (const el of statement.exportClause.elements) localExportAliases.set((el.propertyName ?? el.name).text, el.name.text);
    }
  }
  for (const statement of source.statements) {
    if (isTypeOnlyStatement(statement) || (ts.isExportDeclaration(statement) && statement.moduleSpecifier)) continue;
    const names = declaredNames(statement);
    const exportedAs = names.map((n) => (isExported(statement) ? n : localExportAliases.get(n))).filter((n): n is string => !!n);
    const isDefault = ts.isExportAssignment(statement) || (ts.canHaveModifiers(statement) && (ts.getModifiers(statement) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword));
    const serverOnly = kind === "route" && exportedAs.length > 0 && exportedAs.every((n) => SERVER_ONLY_EXPORTS.has(n));
    const root =
      kind === "browser" ||
      isDefault ||
      (names.length === 0 && !ts.isExportDeclaration(statement)) ||
      (exportedAs.length > 0 && !serverOnly) ||
      (names.length > 0 && !droppable(statement));
    const label = isDefault ? "default export" : names[0] ?? ts.SyntaxKind[statement.kind];
    units.push({ label, names, refs: ts.isExportDeclaration(statement) ? [] : referencedIdentifiers(statement), root });
  }
  // Local `export { x }` of a server import is itself a leak.
  for (const [local, exported] of localExportAliases) {
    if (serverNames.has(local) && !(kind === "route" && SERVER_ONLY_EXPORTS.has(exported))) {
      findings.push({ file, line: 1, name: local, from: serverNames.get(local)!, usedIn: `export ${exported}` });
    }
  }

  // Everything the browser roots reach through top-level names.
  const byName = new Map<string, Unit>();
  for (const u of units) for (const n of u.names) byName.set(n, u);
  const reached = new Set<Unit>();
  const stack = units.filter((u) => u.root);
  while (stack.length) {
    const u = stack.pop()!;
    if (reached.has(u)) continue;
    reached.add(u);
    for (const r of u.refs) {
      const next = byName.get(r.name);
      if (next && !reached.has(next)) stack.push(next);
    }
  }
  for (const u of reached) {
    for (const r of u.refs) {
      // A local declaration of the same name (shadowing) inside the unit is rare here; the import wins.
      if (serverNames.has(r.name)) findings.push({ file, line: line(r.node), name: r.name, from: serverNames.get(r.name)!, usedIn: u.label });
    }
  }
  return findings;
}

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? walk(p) : /\.(tsx?|jsx?)$/.test(d.name) ? [p] : [];
  });
}

/** Checks the app: route modules by the route rule; components, root and every pure module whole. */
export function checkApp(appDir: string): Finding[] {
  const findings: Finding[] = [];
  for (const file of walk(appDir)) {
    const rel = path.relative(appDir, file);
    const base = path.basename(file);
    if (/\.server\.[jt]sx?$/.test(base) || rel.split(path.sep).includes(".server") || base.startsWith("entry.server")) continue;
    const kind = rel.startsWith(`routes${path.sep}`) || rel === "root.tsx" ? "route" : "browser";
    findings.push(...checkModule(rel, fs.readFileSync(file, "utf8"), kind));
  }
  return findings;
}
