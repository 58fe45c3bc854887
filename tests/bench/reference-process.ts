/**
 * The reference beside the juror's sheet page (issue 18 benchmarks): what this machine allows a
 * server that does nothing but spend a given CPU time on each request. A node:cluster primary with
 * `workers` workers; each answers every request with the bytes of the file named by argv[2] (JSON:
 * status, headers, body in base64) after spending `cpuMs` of its own CPU (counted by the process's
 * CPU clock, not the wall clock: time the machine gives to other processes is not counted as
 * work), one request at a time in arrival order. Connections are shared out as the app's are
 * (connections.server.ts: to the worker with the fewest open); the primary prints its port once
 * every worker is ready.
 */
import cluster from "node:cluster";
import fs from "node:fs";
import http from "node:http";

import { shareConnections, takeConnections } from "../../app/utils/connections.server";

const spec = JSON.parse(fs.readFileSync(process.argv[2], "utf8")) as {
  status: number;
  headers: Record<string, string | string[]>;
  body: string;
  cpuMs: number;
  workers: number;
  port: number;
};

const SLICES = 4;

/** Spends `ms` of this process's CPU. */
function spend(ms: number) {
  const start = process.cpuUsage();
  let x = 0;
  for (;;) {
    for (let i = 0; i < 2_000; i++) x = (x * 1103515245 + 12345) % 2147483648;
    const used = process.cpuUsage(start);
    if ((used.user + used.system) / 1000 >= ms) return x;
  }
}

if (cluster.isPrimary) {
  const connections = shareConnections({ port: spec.port, host: "127.0.0.1" });
  let ready = 0;
  for (let i = 0; i < spec.workers; i++) {
    const worker = cluster.fork();
    connections.add(worker);
    worker.once("message", () => {
      if (++ready === spec.workers) console.log(`PORT ${spec.port}`);
    });
  }
  process.on("SIGTERM", () => {
    connections.close();
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill("SIGTERM");
    process.exit(0);
  });
} else {
  const body = Buffer.from(spec.body, "base64");
  // Requests are worked on one at a time, in arrival order (the best a queue can do for its
  // tail), each in SLICES pieces with a turn of the event loop between them (as the app's work is
  // cut by its awaits), so arrivals are read and queued while one is worked on.
  let queue: Promise<void> = Promise.resolve();
  const work = async (res: http.ServerResponse) => {
    for (let slice = 0; slice < SLICES; slice++) {
      spend(spec.cpuMs / SLICES);
      await new Promise((resolve) => setImmediate(resolve));
    }
    res.writeHead(spec.status, spec.headers);
    res.end(body);
  };
  const server = http.createServer((_req, res) => {
    queue = queue.then(() => work(res));
  });
  // A worker's ready notice (its first message) is what the primary counts.
  takeConnections(server);
}
