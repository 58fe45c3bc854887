import { z } from "zod";

/**
 * The one-time message shown after a form succeeded (and the page was reached by a redirect), or
 * after a refusal that also redirects. It travels in a signed cookie (app/utils/toast.server.ts),
 * so it is kept small: a message and at most a few detail lines.
 */
export const ToastSchema = z.object({
  kind: z.enum(["ok", "info", "error"]).default("ok"),
  message: z.string().min(1).max(600),
  /** Lines below the message, for example the photos of a batch that could not be stored. */
  details: z.array(z.string().max(300)).max(12).optional(),
});

export type Toast = z.input<typeof ToastSchema>;
export type ShownToast = z.output<typeof ToastSchema>;
