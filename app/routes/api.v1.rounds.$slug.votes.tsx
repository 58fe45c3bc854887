import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";

import { publicVote } from "~/models/vote/poll.server";

/**
 * GET /api/v1/rounds/:slug/votes (issue 19): the people's-choice vote — `open`, the window, the
 * totals (null while the round hides them until the close), how many votes were excluded and why, the
 * award and its certificates once issued.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const vote = await publicVote(params.slug ?? "");
  if (!vote) return json({ error: "Đợt này không có bình chọn của công chúng." }, { status: 404 });
  return json(
    {
      round: vote.round.slug,
      open: vote.poll.phase === "open",
      opensAt: vote.poll.opensAt,
      closesAt: vote.poll.closesAt,
      frozen: vote.poll.phase === "frozen",
      finalHash: vote.poll.finalHash,
      totals: vote.totals?.map((t) => ({ entryCode: t.entryCode, productName: t.productName, votes: t.votes })) ?? null,
      excluded: vote.excluded,
      award: vote.award.map((t) => t.entryCode),
      // The award's certificates the organiser has issued (none until then): verify each by its code.
      awardCertificates: vote.awardCertificates.map((c) => ({
        entryCode: c.entryCode,
        serial: c.serial,
        code: c.code,
        status: c.status,
      })),
    },
    { headers: { "Cache-Control": "public, max-age=5" } },
  );
}
