import type { LoaderFunctionArgs } from "@remix-run/node";

import { recipientTemplate } from "~/models/commendation/recipient-import.server";
import { requirePermission } from "~/utils/auth.server";

const NAME = "mau-danh-sach-khen-thuong";
const TYPES = {
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  csv: "text/csv; charset=utf-8",
} as const;

/** The recipients' import template: /ministry/template/mau-danh-sach-khen-thuong.xlsx (or .csv). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "commendation:manage");
  const m = new RegExp(`^${NAME}\\.(xlsx|csv)$`).exec(params.file ?? "");
  if (!m) throw new Response("Không tìm thấy tệp mẫu.", { status: 404 });
  const format = m[1] as keyof typeof TYPES;
  const body = await recipientTemplate(format);
  return new Response(new Uint8Array(body), {
    headers: {
      "Content-Type": TYPES[format],
      "Content-Disposition": `attachment; filename="${NAME}.${format}"`,
      "Cache-Control": "private, max-age=3600",
    },
  });
}
