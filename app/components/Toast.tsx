import type { ShownToast } from "~/utils/toast";

/**
 * The one-time message after a form (from the root loader). A plain status region: it is in the
 * server-rendered page, so it works without JavaScript, and screen readers announce it.
 */
export function Toast({ toast }: { toast: ShownToast | null }) {
  if (!toast) return null;
  const error = toast.kind === "error";
  return (
    <div className={`alert ${error ? "error" : toast.kind === "info" ? "info" : "ok"} toast`} role={error ? "alert" : "status"}>
      {toast.message}
      {toast.details?.length ? (
        <ul>
          {toast.details.map((d, i) => (
            <li key={i}>{d}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
