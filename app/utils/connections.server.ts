/**
 * Connections handed to the worker that has the fewest open (issue 18, item 5). node:cluster's
 * round robin gives each new connection to the next worker that has acknowledged the previous one,
 * so a worker busy at that moment is skipped: under a steady crowd on kept-alive connections the
 * split stays uneven for as long as they live. Measured on the juror's sheet page (50 connections,
 * 2 workers): 20 and 30 connections, the 30 waiting ~205 ms a page against ~113 — the p99 was that
 * worker's, not the page's.
 *
 * So the primary accepts itself (paused, no byte read) and sends each connection's handle to the
 * ready worker with the fewest open, the first of them after the last one chosen on a tie; the worker
 * tells it when one closes. A worker that exits takes its connections with it (they close, the
 * clients reconnect) and drops out of the count. Connections that arrive before any worker is ready
 * wait in the primary.
 */
import type { Worker } from "node:cluster";
import type http from "node:http";
import net from "node:net";

const CONNECTION = "cnnt:connection";
const CLOSED = "cnnt:connection-closed";
const READY = "cnnt:ready";

type Message = { cnnt?: string };

function kind(message: unknown): string | undefined {
  return typeof message === "object" && message !== null ? (message as Message).cnnt : undefined;
}

/** The primary's side: accepts on host:port and shares the connections out. */
export function shareConnections(options: { port: number; host: string }): { add(worker: Worker): void; close(): void } {
  const open = new Map<Worker, number>();
  const waiting: net.Socket[] = [];
  let last = -1;

  const choose = (): Worker | null => {
    const ready = [...open.keys()];
    if (!ready.length) return null;
    let best = -1;
    for (let step = 1; step <= ready.length; step++) {
      const i = (last + step) % ready.length;
      if (best < 0 || open.get(ready[i])! < open.get(ready[best])!) best = i;
    }
    last = best;
    return ready[best];
  };
  const hand = (socket: net.Socket) => {
    const worker = choose();
    if (!worker) return void waiting.push(socket);
    open.set(worker, open.get(worker)! + 1);
    worker.send({ cnnt: CONNECTION }, socket, { keepOpen: false }, (error) => {
      if (!error) return;
      // The worker went away between choosing and sending: the client reconnects.
      if (open.has(worker)) open.set(worker, Math.max(0, open.get(worker)! - 1));
      socket.destroy();
    });
  };

  const server = net.createServer({ pauseOnConnect: true }, hand);
  server.on("error", (error) => {
    console.error(`Không mở được cổng ${options.host}:${options.port}:`, error);
    process.exit(1);
  });
  server.listen(options.port, options.host);

  return {
    add(worker) {
      worker.on("message", (message: unknown) => {
        if (kind(message) === READY) {
          open.set(worker, 0);
          for (const socket of waiting.splice(0)) hand(socket);
        } else if (kind(message) === CLOSED && open.has(worker)) open.set(worker, Math.max(0, open.get(worker)! - 1));
      });
      worker.on("exit", () => open.delete(worker));
    },
    close() {
      server.close();
      for (const socket of waiting.splice(0)) socket.destroy();
    },
  };
}

/**
 * A worker's side: serves the connections the primary sends. `server` is not listening itself, so
 * what `listen` would start is started here: the check that answers 408 to a request whose headers
 * or body are too slow (headersTimeout, requestTimeout) runs from the server's "listening" event.
 */
export function takeConnections(server: http.Server) {
  server.emit("listening");
  process.on("message", (message: unknown, socket?: net.Socket) => {
    if (kind(message) !== CONNECTION || !socket) return;
    // A connection that closes while the worker stops may find the channel to the primary gone: the
    // callback takes that error (without one it would be thrown as an "error" event on process).
    socket.once("close", () => process.send?.({ cnnt: CLOSED }, undefined, undefined, () => {}));
    server.emit("connection", socket);
    socket.resume();
  });
  process.send?.({ cnnt: READY });
}
