/**
 * Where a photo's variants are made: in this process's image process (app/utils/image-process.server.ts,
 * started on the first photo, at a lower CPU priority), or here when IMAGE_PROCESS=0 or the image
 * process's script cannot be found. Same transforms either way (image-render.server.ts).
 */
import { type ChildProcess, fork } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { env, flag } from "./env.server";
import { AppError } from "./errors";
import { type RenderedPhoto, type RenderReply, type RenderRequest, renderVariants } from "./image-render.server";

/** A photo whose variants take longer than this is given up (the image process is restarted). */
const RENDER_TIMEOUT_MS = 120_000;
/** An image process with nothing to do for this long is stopped (its memory returned); the next photo starts another. */
const IDLE_EXIT_MS = 60_000;

interface Pending {
  resolve: (photo: RenderedPhoto) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * The image process's script and how to start it: the bundled one beside a build
 * (build/server/image-process.js, made by scripts/build/server.mjs), else the source through tsx.
 */
function entry(): { file: string; execArgv: string[] } | undefined {
  const here = import.meta.url;
  const candidates = here.endsWith(".ts")
    ? [{ file: fileURLToPath(new URL("./image-process.server.ts", here)), execArgv: ["--import", "tsx"] }]
    : [
        { file: fileURLToPath(new URL("./server/image-process.js", here)), execArgv: [] }, // from build/index.js
        { file: fileURLToPath(new URL("./image-process.js", here)), execArgv: [] }, // from build/server/index.js
        { file: path.resolve("app/utils/image-process.server.ts"), execArgv: ["--import", "tsx"] },
      ];
  return candidates.find((c) => fs.existsSync(c.file));
}

let child: ChildProcess | undefined;
let idleTimer: NodeJS.Timeout | undefined;
let nextId = 1;
const pending = new Map<number, Pending>();
let warned = false;

function settle(id: number): Pending | undefined {
  const job = pending.get(id);
  if (!job) return undefined;
  pending.delete(id);
  clearTimeout(job.timer);
  if (pending.size === 0) idle(child);
  return job;
}

/**
 * Nothing waits: neither the process nor its channel keeps this process alive, and after
 * IDLE_EXIT_MS the image process is let go (it exits when its channel closes).
 */
function idle(proc: ChildProcess | undefined) {
  if (!proc) return;
  proc.unref();
  (proc.channel as { unref?: () => void } | undefined)?.unref?.();
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    if (child !== proc || pending.size) return;
    child = undefined;
    proc.disconnect();
  }, IDLE_EXIT_MS);
  idleTimer.unref();
}

function busy(proc: ChildProcess) {
  clearTimeout(idleTimer);
  proc.ref();
  (proc.channel as { ref?: () => void } | undefined)?.ref?.();
}

function failAll(error: Error) {
  for (const id of [...pending.keys()]) settle(id)?.reject(error);
}

function start(): ChildProcess | undefined {
  const script = entry();
  if (!script) {
    if (!warned) console.warn("image process script not found; photos are processed in the web process");
    warned = true;
    return undefined;
  }
  const proc = fork(script.file, [], {
    execArgv: script.execArgv,
    serialization: "advanced",
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    // glibc's per-thread malloc arenas keep libvips's freed buffers; two arenas keep RSS near the work.
    env: { ...process.env, CNNT_IMAGE_PROCESS: "1", MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? "2" },
  });
  proc.on("message", (reply: RenderReply) => {
    const job = settle(reply.id);
    if (!job) return;
    if (reply.ok) {
      const outputs = reply.photo.outputs.map((o) => ({ ...o, data: Buffer.from(o.data.buffer, o.data.byteOffset, o.data.byteLength) }));
      job.resolve({ ...reply.photo, outputs });
    } else {
      job.reject(new Error(reply.message));
    }
  });
  const ended = (reason: string) => {
    if (child !== proc) return;
    child = undefined;
    const waiting = pending.size;
    failAll(new AppError(503, "Máy chủ chưa xử lý xong ảnh. Hãy gửi lại ảnh sau ít phút."));
    if (waiting) console.error(`image process ended (${reason}) with ${waiting} photo(s) waiting`);
  };
  proc.on("exit", (code, signal) => ended(signal ?? `exit ${code}`));
  proc.on("error", (error) => ended(error.message));
  idle(proc);
  return proc;
}

/**
 * The variants of a photo (already checked by checkPhoto). A file libvips cannot decode rejects
 * with a plain Error (the caller words it for the user); an image process that dies or hangs
 * rejects with AppError 503.
 */
export async function renderPhoto(bytes: Buffer): Promise<RenderedPhoto> {
  const setting = env().IMAGE_PROCESS;
  if (setting !== undefined && !flag(setting)) return renderVariants(bytes);
  child ??= start();
  const proc = child;
  if (!proc) return renderVariants(bytes);
  const id = nextId++;
  return new Promise<RenderedPhoto>((resolve, reject) => {
    const timer = setTimeout(() => {
      settle(id)?.reject(new AppError(503, "Máy chủ xử lý ảnh quá lâu. Hãy gửi lại ảnh sau ít phút."));
      console.error("a photo took too long; restarting the image process");
      proc.kill("SIGKILL");
    }, RENDER_TIMEOUT_MS);
    pending.set(id, { resolve, reject, timer });
    busy(proc);
    proc.send({ id, bytes } satisfies RenderRequest, (error) => {
      if (error) settle(id)?.reject(new AppError(503, "Máy chủ chưa xử lý được ảnh. Hãy gửi lại ảnh sau ít phút."));
    });
  });
}
