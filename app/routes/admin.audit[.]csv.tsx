import type { LoaderFunctionArgs } from "@remix-run/node";

import { auditActionLabel } from "~/models/shared/audit-labels";
import { listAuditEvents } from "~/models/shared/audit.server";
import { AuditFilterSchema } from "~/schemas/audit";
import { requirePermission } from "~/utils/auth.server";
import { toCsv } from "~/utils/csv";

/** The filtered audit log as CSV (UTF-8 with BOM, opens in Excel), up to 100,000 events. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "audit:view");
  const parsed = AuditFilterSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  const events = await listAuditEvents(parsed.success ? parsed.data : {}, { limit: 100_000 });
  const csv = toCsv(
    ["Mã", "Thời điểm (UTC)", "Người thực hiện", "Thao tác", "Diễn giải", "Đối tượng", "Mã đối tượng", "Đợt", "Trước", "Sau"],
    events.map((e) => [e.id, e.at.toISOString(), e.actor_email ?? e.actor_id ?? "", e.action, auditActionLabel(e.action), e.entity, e.entity_id, e.round_id ?? "", JSON.stringify(e.before), JSON.stringify(e.after)]),
  );
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="nhat-ky-thao-tac.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
