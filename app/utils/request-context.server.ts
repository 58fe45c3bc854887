/**
 * The request being handled, for code deep inside it (AsyncLocalStorage): its id (every log line
 * carries it) and a memo of reads that several loaders of one page make. One store per process:
 * server.ts (run by tsx) and the Remix build are two module graphs, so the storage lives on
 * globalThis like the database handle.
 */
import { AsyncLocalStorage } from "node:async_hooks";

export interface RequestContext {
  requestId: string;
  /** GET/HEAD only: reads of this request shared by its loaders (root and route run in parallel). */
  memo?: Map<string, Promise<unknown>>;
}

const KEY = Symbol.for("cnnt.request-context");
const storage = ((globalThis as { [KEY]?: AsyncLocalStorage<RequestContext> })[KEY] ??= new AsyncLocalStorage<RequestContext>());

export function runInRequest<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentRequest(): RequestContext | undefined {
  return storage.getStore();
}

/**
 * `read()` once per request and key while a GET/HEAD is handled (the root and the route loader of a
 * page both ask for the signed-in user); outside a request, or for other methods — an action may
 * change what it read — every call reads.
 */
export function oncePerRequest<T>(key: string, read: () => Promise<T>): Promise<T> {
  const memo = storage.getStore()?.memo;
  if (!memo) return read();
  let found = memo.get(key) as Promise<T> | undefined;
  if (!found) {
    found = read();
    memo.set(key, found);
  }
  return found;
}
