/**
 * Requests and responses born with express's prototypes, instead of given them afterwards.
 *
 * Express 4 gives every request and response its own prototype (`expressInit`:
 * `Object.setPrototypeOf(req, app.request)`, the same for `res`). An object whose prototype was
 * changed that way is, for V8's young-generation collector, kept alive with everything it reaches
 * (the socket's parser, the request's headers and closures, the page rendered for it) until the
 * next full collection: measured with `--trace-gc-nvp`, a bare express 4 answering "x" promotes
 * ~4 KB a request into old space where plain `node:http` promotes none; in the app ~40 KB a
 * sheet page (the whole render), ~13 MB/s a worker, which made a full collection every second or
 * two — the sheet page's p99.
 *
 * So the prototypes become classes (`extends IncomingMessage` / `ServerResponse`, holding express's
 * methods and getters), `app.request` and `app.response` are their prototypes, and the server
 * constructs its requests and responses from them (`http.createServer({ IncomingMessage,
 * ServerResponse })`): express's `setPrototypeOf` then sets the prototype an object already has,
 * which V8 does not count as a change. A server made any other way (`app.listen` in the tests)
 * still works: express sets these prototypes as before.
 */
import http from "node:http";

import type { Express } from "express";

export interface HttpClasses {
  IncomingMessage: typeof http.IncomingMessage;
  ServerResponse: typeof http.ServerResponse;
}

const classesOfApp = new WeakMap<Express, HttpClasses>();

/** Copies the own properties of `from` and of its prototypes up to (not including) `stop` onto `to`; the nearest wins. */
function copyChain(from: object, stop: object, to: object) {
  const chain: object[] = [];
  for (let p: object | null = from; p && p !== stop; p = Object.getPrototypeOf(p)) chain.push(p);
  if (Object.getPrototypeOf(chain[chain.length - 1]) !== stop) throw new Error("express's prototype does not extend node:http's");
  for (const level of chain.reverse()) {
    for (const key of Reflect.ownKeys(level)) {
      if (key === "constructor") continue;
      Object.defineProperty(to, key, Object.getOwnPropertyDescriptor(level, key)!);
    }
  }
}

/** Makes `app.request` and `app.response` the prototypes of two classes, and returns the classes for `http.createServer`. */
export function expressClasses(app: Express): HttpClasses {
  const known = classesOfApp.get(app);
  if (known) return known;
  class ExpressRequest extends http.IncomingMessage {}
  class ExpressResponse extends http.ServerResponse {}
  copyChain(app.request, http.IncomingMessage.prototype, ExpressRequest.prototype);
  copyChain(app.response, http.ServerResponse.prototype, ExpressResponse.prototype);
  app.request = ExpressRequest.prototype as Express["request"];
  app.response = ExpressResponse.prototype as Express["response"];
  // ServerResponse's type is generic over its request; ExpressResponse answers node's IncomingMessage, which every request is.
  const classes = { IncomingMessage: ExpressRequest, ServerResponse: ExpressResponse as unknown as typeof http.ServerResponse };
  classesOfApp.set(app, classes);
  return classes;
}
