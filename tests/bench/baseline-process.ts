/**
 * The plain node:http baseline in a process of its own (issue 18 benchmarks): answers every request
 * with the status, headers and bytes of the file named by argv[2] (JSON: status, headers, body in
 * base64), and prints its port once listening.
 */
import fs from "node:fs";
import http from "node:http";

const spec = JSON.parse(fs.readFileSync(process.argv[2], "utf8")) as { status: number; headers: Record<string, string | string[]>; body: string };
const body = Buffer.from(spec.body, "base64");
const server = http.createServer((_req, res) => {
  res.writeHead(spec.status, spec.headers);
  res.end(spec.status === 304 ? undefined : body);
});
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  console.log(`PORT ${typeof address === "object" && address ? address.port : 0}`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
