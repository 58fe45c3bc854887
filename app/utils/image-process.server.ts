/**
 * The image process: a child of a web process (app/utils/image-worker.server.ts) that turns uploaded
 * photos into their variants. It runs at a lower CPU priority than the web processes, so a burst of
 * 12 MP uploads (libvips keeps every core busy for about a second per photo) slows the uploads, not
 * the pages everyone else is reading; and libvips's buffers live in this process's memory, not in
 * the web process's. It exits when its parent goes (the IPC channel closes).
 *
 * Messages (advanced serialization, so buffers travel as bytes):
 *   parent → child `{ id, bytes }`; child → parent `{ id, ok: true, photo }` or `{ id, ok: false, message }`.
 */
import fs from "node:fs";
import os from "node:os";

import { IMAGE_PROCESS_NICE, type RenderReply, type RenderRequest, renderVariants } from "./image-render.server";

/**
 * Lowers every thread of this process. On Linux the nice value belongs to each thread and a new
 * thread takes its creator's, so once the threads alive now are lowered, the libuv and libvips
 * threads made later are too.
 */
function lowerPriority() {
  let tids: number[] = [0];
  try {
    tids = fs.readdirSync("/proc/self/task").map(Number);
  } catch {
    // not Linux: the process priority is the process's
  }
  for (const tid of tids) {
    try {
      os.setPriority(tid, IMAGE_PROCESS_NICE);
    } catch {
      // a thread that ended meanwhile
    }
  }
}

// Only as the image process (started with this variable by image-worker.server.ts): imported
// anywhere else, this module does nothing.
if (process.send && process.env.CNNT_IMAGE_PROCESS === "1") {
  lowerPriority();
  process.on("message", (message: RenderRequest) => {
    const bytes = Buffer.from(message.bytes.buffer, message.bytes.byteOffset, message.bytes.byteLength);
    renderVariants(bytes).then(
      (photo) => process.send?.({ id: message.id, ok: true, photo } satisfies RenderReply),
      (error: unknown) => process.send?.({ id: message.id, ok: false, message: error instanceof Error ? error.message : String(error) } satisfies RenderReply),
    );
  });
  process.on("disconnect", () => process.exit(0));
}
