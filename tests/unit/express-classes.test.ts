/**
 * Requests born with express's prototypes (app/utils/express-classes.server.ts): the server's
 * objects already have them before express runs (so express's setPrototypeOf changes nothing), and
 * express's own request and response methods still answer through them.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

import express from "express";
import { afterEach, describe, expect, it } from "vitest";

import { expressClasses } from "../../app/utils/express-classes.server";

let server: http.Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function serve(app: express.Express, onRequest: (req: http.IncomingMessage, res: http.ServerResponse) => void = () => {}) {
  server = http.createServer(expressClasses(app), (req, res) => {
    onRequest(req, res);
    app(req, res);
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("requests born with express's prototypes", () => {
  it("has them before express runs, and express's methods work through them", async () => {
    const app = express();
    app.set("trust proxy", "loopback");
    expressClasses(app);
    const seen: boolean[] = [];
    app.get("/x", (req, res) => {
      res.locals.answer = req.query.q;
      res.status(201).json({ ip: req.ip, host: req.hostname, agent: req.get("user-agent"), q: res.locals.answer, sameApp: req.app === app });
    });
    const base = await serve(app, (req, res) => {
      seen.push(Object.getPrototypeOf(req) === app.request && Object.getPrototypeOf(res) === app.response);
    });
    const answer = await fetch(`${base}/x?q=một`, { headers: { "User-Agent": "thu-nghiem", "X-Forwarded-For": "203.0.113.9" } });
    expect(answer.status).toBe(201);
    expect(await answer.json()).toEqual({ ip: "203.0.113.9", host: "127.0.0.1", agent: "thu-nghiem", q: "một", sameApp: true });
    expect(seen).toEqual([true]);
  });

  it("keeps express working for a server made without the classes (app.listen in the tests)", async () => {
    const app = express();
    expressClasses(app);
    app.get("/y", (req, res) => void res.type("text/plain").send(req.path));
    server = app.listen(0, "127.0.0.1");
    await new Promise<void>((resolve) => server!.once("listening", () => resolve()));
    const answer = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/y`);
    expect(await answer.text()).toBe("/y");
  });

  it("gives one app its classes once", () => {
    const app = express();
    expect(expressClasses(app)).toBe(expressClasses(app));
  });
});
