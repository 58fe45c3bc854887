import importX from "eslint-plugin-import-x";
import tseslint from "typescript-eslint";

const LUCIA = { group: ["lucia", "lucia/*", "@lucia-auth/*"], message: "Only app/utils/auth.server.ts imports lucia." };
const DB = { regex: "^(#db/|(\\.\\./)+db(/|$))", message: "Routes and components read data through app/models, never db/ directly." };
const SERVER = {
  group: ["**/*.server", "**/*.server.*", "**/.server/**"],
  message: "Components run in the browser, where .server modules are empty: import from a pure module (e.g. app/models/*-rules.ts).",
};

// Issue 12: action and loader data are read typed (`useActionData<typeof action>()`), never cast.
const NO_DATA_CASTS = [
  {
    selector: "TSAsExpression > CallExpression[callee.name=/^use(ActionData|LoaderData|RouteLoaderData|Fetcher)$/]",
    message: "Read it typed: useActionData<typeof action>() / useLoaderData<typeof loader>(), not a cast.",
  },
  {
    selector: "TSAsExpression > MemberExpression[property.name='data'][object.name=/fetcher/i]",
    message: "Type the fetcher (useFetcher<typeof action>()) instead of casting its data.",
  },
];

export default tseslint.config(
  { ignores: ["build/**", "public/build/**", ".cache/**", "node_modules/**", ".data/**", "uploads/**", "tests/e2e/screenshots/**"] },
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx}"],
    plugins: { "import-x": importX },
    rules: {
      "@typescript-eslint/consistent-type-imports": ["error", { prefer: "type-imports", fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "import-x/order": [
        "error",
        {
          groups: ["builtin", "external", "internal", ["parent", "sibling", "index"]],
          pathGroups: [{ pattern: "~/**", group: "internal" }],
          "newlines-between": "always",
          alphabetize: { order: "asc", caseInsensitive: true },
        },
      ],
      "no-console": ["error", { allow: ["warn", "error", "log"] }],
    },
  },
  // Import boundaries (issue 11). Routes and components reach data only through app/models; components
  // run in the browser whole, where a `.server` module is empty; lucia stays behind auth.server.ts.
  // (no-restricted-imports rather than import-x/no-restricted-paths: it needs no resolver for `~/`/`#db/`.)
  {
    files: ["**/*.{ts,tsx}"],
    ignores: ["app/utils/auth.server.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [LUCIA] }] },
  },
  {
    files: ["app/**/*.{ts,tsx}"],
    rules: { "no-restricted-syntax": ["error", ...NO_DATA_CASTS] },
  },
  {
    files: ["app/routes/**/*.{ts,tsx}", "app/root.tsx"],
    rules: { "no-restricted-imports": ["error", { patterns: [LUCIA, DB] }] },
  },
  {
    files: ["app/components/**/*.{ts,tsx}"],
    rules: { "no-restricted-imports": ["error", { patterns: [LUCIA, DB, SERVER] }] },
  },
);
