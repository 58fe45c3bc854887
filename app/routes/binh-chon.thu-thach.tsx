import { json } from "@remix-run/node";

import { voteChallenge } from "~/models/vote/ballot.server";

/** GET /binh-chon/thu-thach: a fresh proof-of-work challenge for the vote form (ALTCHA), never cached. */
export async function loader() {
  return json(await voteChallenge(), { headers: { "Cache-Control": "no-store" } });
}
