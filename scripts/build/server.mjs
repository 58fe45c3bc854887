/**
 * The production server as one plain JavaScript module (build/server/index.js), so `npm start` runs
 * it with node alone. Run under tsx, every worker also carried tsx's loader thread (a second V8
 * isolate with esbuild and a transformed copy of every module): about 200 MB of RSS per worker
 * (issue 18's 300 MB per worker). Packages stay external (node_modules, resolved at run time); the
 * demo data is a chunk loaded only when asked. Tests and `npm run dev` keep running server.ts with tsx.
 */
import { build } from "esbuild";

await build({
  // The image process (app/utils/image-process.server.ts) beside it: photos' variants away from the web workers.
  entryPoints: { index: "server.ts", "image-process": "app/utils/image-process.server.ts" },
  outdir: "build/server",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  logLevel: "warning",
});
