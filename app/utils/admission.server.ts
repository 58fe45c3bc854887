/**
 * Admission: at most ACTIVE_REQUESTS requests per process are being worked on (loader, action,
 * render) at once; the others wait their turn in arrival order, anonymous page views before the
 * rest (three to one while both wait). Under a load the process cannot keep up with (30 jurors saving and submitting as fast as the
 * server answers), every request in flight used to get a slice of each turn of the event loop, so
 * each took as long as all of them together, and a stored public page (answered in a fraction of a
 * millisecond) waited behind dozens of renders. With a bound, a turn holds only a few renders: the
 * stored pages are answered between them, and a waiting request holds its parsed request and socket, no
 * render. Each access log line says how long its request waited here (`queuedMs`).
 *
 * A request leaves its slot when its answer's headers go out (the body of a download streams
 * without it), when its connection closes, or after SLOT_LEASE_MS (a client sending its body
 * slowly, a long lock wait: time that is not this process's work must not block the others).
 * Multipart uploads never wait here: their time is reading the body; the photos' work is done by
 * the image process (app/utils/image-worker.server.ts).
 */
import { AsyncResource } from "node:async_hooks";
import type { IncomingMessage, ServerResponse } from "node:http";

import type { RequestHandler } from "express";

import { anonymousPublicRequest } from "./page-cache.server";

/** After this long a request no longer counts against the bound (see the module comment). */
export const SLOT_LEASE_MS = 5_000;
/** Page views admitted in a row before a waiting other request gets its turn. */
export const PAGES_PER_OTHER = 3;

interface Waiting {
  req: IncomingMessage;
  start: () => void;
}

export interface AdmissionStats {
  active: number;
  waiting: number;
  admitted: number;
  queued: number;
  /** Requests that held their slot until the lease ran out. */
  leaseExpired: number;
}

/** How long a request waited for its slot (ms; 0 when it had one at once), for its log line. */
const WAITED = Symbol("cnnt.admission-wait");
export function admissionWaitMs(req: IncomingMessage): number {
  return (req as IncomingMessage & { [WAITED]?: number })[WAITED] ?? 0;
}

/** The process's admission (the last one made; server.ts makes one), for /metrics. */
let current: (() => AdmissionStats) | undefined;
export function admissionStats(): AdmissionStats | undefined {
  return current?.();
}

/** The express middleware, with its own bound (server.ts: ACTIVE_REQUESTS); `leaseMs` for tests. */
export function admission(limit: number, leaseMs = SLOT_LEASE_MS): RequestHandler & { stats: () => AdmissionStats } {
  let active = 0;
  let admitted = 0;
  let queued = 0;
  let leaseExpired = 0;
  const pages: Waiting[] = [];
  const others: Waiting[] = [];

  // Page views go first, but never more than PAGES_PER_OTHER in a row while others wait: a flood
  // of anonymous requests for pages not yet stored must not shut the signed-in users out.
  let pagesInARow = 0;
  const take = () => {
    const page = pagesInARow < PAGES_PER_OTHER || !others.length ? pages.shift() : undefined;
    if (page) {
      pagesInARow++;
      return page;
    }
    pagesInARow = 0;
    return others.shift();
  };
  const next = () => {
    while (active < limit) {
      const waiting = take();
      if (!waiting) return;
      if (waiting.req.destroyed) continue; // gone while waiting
      waiting.start();
    }
  };

  const enter = (req: IncomingMessage, res: ServerResponse, go: () => void) => {
    active++;
    admitted++;
    let held = true;
    const leave = () => {
      if (!held) return;
      held = false;
      clearTimeout(lease);
      active--;
      next();
    };
    const lease = setTimeout(() => {
      leaseExpired++;
      leave();
    }, leaseMs);
    lease.unref();
    const writeHead = res.writeHead;
    res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
      leave();
      return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
    } as typeof res.writeHead;
    res.once("close", leave);
    go();
  };

  const middleware = ((req, res, go) => {
    const type = (req.headers["content-type"] ?? "").toLowerCase();
    if (type.startsWith("multipart/form-data")) return go();
    if (active < limit) return enter(req, res, go);
    queued++;
    const queue = anonymousPublicRequest(req) ? pages : others;
    // Started later from another request's answer: in this request's own async context (its
    // request id on every log line, its loaders' memo), not the one that freed the slot. (A
    // resource rather than AsyncResource.bind, which also builds a deprecated getter per call.)
    const context = new AsyncResource("cnnt:admission");
    const since = performance.now();
    queue.push({
      req,
      start: () => {
        (req as IncomingMessage & { [WAITED]?: number })[WAITED] = performance.now() - since;
        context.runInAsyncScope(enter, undefined, req, res, go);
      },
    });
  }) as RequestHandler & { stats: () => AdmissionStats };
  middleware.stats = () => ({ active, waiting: pages.length + others.length, admitted, queued, leaseExpired });
  current = middleware.stats;
  return middleware;
}
