import type { LoaderFunctionArgs } from "@remix-run/node";

import { publicVote } from "~/models/vote/poll.server";
import { toCsv } from "~/utils/csv";

/** GET /rounds/:slug/binh-chon.csv: open data of the people's-choice vote — counts per product, no personal data. */
export async function loader({ params }: LoaderFunctionArgs) {
  const vote = await publicVote(params.slug ?? "");
  if (!vote || !vote.totals) {
    throw new Response(
      vote ? "Số phiếu được giữ kín đến khi cuộc bình chọn kết thúc." : "Đợt này không có bình chọn của công chúng.",
      {
        status: vote ? 409 : 404,
        headers: { "Content-Type": "text/plain; charset=utf-8" },
      },
    );
  }
  const rows = vote.totals.map((t) => [t.entryCode, t.productName, t.votes]);
  const body = toCsv(["Mã hồ sơ", "Sản phẩm", "Số phiếu"], rows);
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${vote.round.slug}-binh-chon.csv"`,
      "Cache-Control": "public, max-age=5",
    },
  });
}
