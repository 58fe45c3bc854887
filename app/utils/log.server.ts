/**
 * Structured JSON logs (pino), one object a line on stdout, with the request id on every line
 * written while a request is handled (AsyncLocalStorage): the access line, and anything the code
 * logs meanwhile (console.* is routed here by server.ts). A client's `X-Request-Id` is kept only if
 * well-formed (1–128 of [A-Za-z0-9._:-]); otherwise one is made. The id is echoed in the answer.
 */
import crypto from "node:crypto";
import { format } from "node:util";

import type { ServerBuild } from "@remix-run/node";
import type { NextFunction, Request, Response } from "express";
import pino from "pino";

import { admissionWaitMs } from "./admission.server";
import { env } from "./env.server";
import { httpDuration, routeIdMatcher } from "./metrics.server";
import { currentRequest, runInRequest } from "./request-context.server";

export const logger = pino({
  level: env().LOG_LEVEL,
  base: { pid: process.pid },
  timestamp: pino.stdTimeFunctions.isoTime,
  mixin: () => {
    const store = currentRequest();
    return store ? { reqId: store.requestId } : {};
  },
});

const WELL_FORMED = /^[A-Za-z0-9._:-]{1,128}$/;

/** The id of a request: the client's if well-formed, else a new UUID. */
export function requestIdFrom(header: string | undefined): string {
  return header && WELL_FORMED.test(header) ? header : crypto.randomUUID();
}

/** The request id of the request being handled, if any. */
export function currentRequestId(): string | undefined {
  return currentRequest()?.requestId;
}

/** Paths outside Remix get fixed names in the latency histogram. */
function fixedRoute(path: string): string | null {
  if (path === "/healthz" || path === "/metrics" || path === "/favicon.ico") return path;
  if (path.startsWith("/build/")) return "static:build";
  return null;
}

/**
 * First middleware: gives the request its id (header `X-Request-Id` both ways), runs the rest inside
 * its logging context, and when the answer is done writes one access line (its time in all, and the
 * part of it spent waiting for a slot: `queuedMs`, app/utils/admission.server.ts) and the latency sample
 * under the Remix route id (query strings are never logged: they may carry tokens).
 */
export function requestLogging(build: ServerBuild) {
  const routeOf = routeIdMatcher(build);
  return (req: Request, res: Response, next: NextFunction) => {
    const requestId = requestIdFrom(req.get("x-request-id"));
    res.setHeader("X-Request-Id", requestId);
    const started = process.hrtime.bigint();
    // A GET's loaders share their reads (the signed-in user: root and route loader).
    const memo = req.method === "GET" || req.method === "HEAD" ? new Map<string, Promise<unknown>>() : undefined;
    runInRequest({ requestId, memo }, () => {
      res.once("finish", () => {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const route = fixedRoute(req.path) ?? (res.locals.staticFile ? "static:public" : routeOf(req.path));
        httpDuration.observe({ route, method: req.method, status: `${Math.floor(res.statusCode / 100)}xx` }, seconds);
        runInRequest({ requestId }, () =>
          logger.info({ method: req.method, path: req.path, route, status: res.statusCode, ms: Math.round(seconds * 10000) / 10, queuedMs: Math.round(admissionWaitMs(req) * 10) / 10, ip: req.ip }, "request"),
        );
      });
      next();
    });
  };
}

/** Sends console.log/info/warn/error of this process through the logger (JSON lines with the request id). */
export function routeConsoleToLogger() {
  const line = (level: "info" | "warn" | "error") => (...args: unknown[]) => {
    const error = args.find((a) => a instanceof Error) as Error | undefined;
    const msg = format(...args.map((a) => (a instanceof Error ? a.message : a)));
    if (error) logger[level]({ err: error }, msg);
    else logger[level](msg);
  };
  console.log = line("info");
  // eslint-disable-next-line no-console -- routed too, like the others
  console.info = line("info");
  console.warn = line("warn");
  console.error = line("error");
}
