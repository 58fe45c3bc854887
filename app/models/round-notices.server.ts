/** What each facility hears when a round's results are published (issue 16 §5), in that transaction. */
import { and, eq, inArray, isNull } from "drizzle-orm";

import { certificates, entries, products, type Round } from "../../db/schema";
import type { Database } from "../utils/db.server";
import { notifyFacility } from "./notification.server";

export async function notifyResultsPublished(input: { round: Round }, t: Database) {
  const { round } = input;
  const rows = await t
    .select({ id: entries.id, code: entries.code, status: entries.status, facilityId: entries.facilityId, productId: entries.productId, name: products.name })
    .from(entries)
    .innerJoin(products, eq(products.id, entries.productId))
    .where(and(eq(entries.roundId, round.id), inArray(entries.status, ["selected", "not_selected"])));
  const issued = await t
    .select({ entryId: certificates.entryId, code: certificates.code })
    .from(certificates)
    .where(and(eq(certificates.roundId, round.id), isNull(certificates.revokedAt)));
  for (const e of rows) {
    const selected = e.status === "selected";
    await notifyFacility(
      {
        facilityId: e.facilityId,
        kind: "results_published",
        title: `Kết quả đợt “${round.title}”`,
        body: selected
          ? `Sản phẩm “${e.name}” (hồ sơ ${e.code}) được công nhận là sản phẩm công nghiệp nông thôn tiêu biểu theo quyết định ${round.decisionNo ?? ""}.`
          : `Sản phẩm “${e.name}” (hồ sơ ${e.code}) chưa được công nhận trong đợt này.`,
        link: `/rounds/${round.slug}`,
      },
      t,
    );
    const certificate = issued.find((c) => c.entryId === e.id);
    if (selected && certificate) {
      await notifyFacility(
        {
          facilityId: e.facilityId,
          kind: "certificate_issued",
          title: `Giấy chứng nhận cho “${e.name}”`,
          body: `Giấy chứng nhận của sản phẩm “${e.name}” đã được cấp với mã tra cứu ${certificate.code}. Ai cũng có thể kiểm tra giấy chứng nhận bằng liên kết bên dưới.`,
          link: `/verify/${certificate.code}`,
        },
        t,
      );
    }
  }
}
