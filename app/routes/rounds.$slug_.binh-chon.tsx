import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import altchaStyles from "altcha/altcha.css";

import { AltchaWidget } from "~/components/AltchaWidget";
import { FormFeedback } from "~/components/Confirm";
import { Field } from "~/components/FormField";
import { langFromPath } from "~/i18n/config";
import { requestLang, requestT } from "~/i18n/i18next.server";
import { useFormat, useLang, useLocalePath, useT } from "~/i18n/react";
import { fixedT } from "~/i18n/t";
import { castBallot, getVoter, requestVoterLink, voteRound, votesOf, voterCookieHeader, withdrawVote } from "~/models/vote/ballot.server";
import { publicVote } from "~/models/vote/poll.server";
import type { VotePhase } from "~/models/vote/rules";
import { clientIp, readForm, withFormErrors } from "~/utils/http.server";
import { redirectWithToast, samePage } from "~/utils/toast.server";

/** Has an English mirror at /en/… (app/routes/en.*): the header offers the language switch and hreflang links. */
export const handle = { english: true };

// The widget's own styles as a stylesheet of the site (its external build injects none, for the CSP).
export const links: LinksFunction = () => [{ rel: "stylesheet", href: altchaStyles }];

export const meta: MetaFunction<typeof loader> = ({ data, location }) => {
  const t = fixedT(langFromPath(location.pathname));
  return [{ title: `${t("vote.title")} — ${data?.vote.round.title ?? t("common.titleSuffix")}` }];
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const vote = await publicVote(params.slug ?? "");
  if (!vote) throw new Response((await requestT(request))("vote.notFound"), { status: 404 });
  const voter = await getVoter(request);
  const mine = voter ? await votesOf(vote.roundId, voter.voterId) : [];
  const { roundId: _id, ...shown } = vote;
  return json(
    { vote: shown, voter: voter ? { email: voter.email } : null, mine },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const t = await requestT(request);
  const lang = await requestLang(request);
  // The round only: the tallies are the page's, not the ballot's.
  const vote = await voteRound(params.slug ?? "");
  if (!vote) throw new Response(t("vote.notFound"), { status: 404 });
  const form = await readForm(request);
  const client = { ip: clientIp(context) ?? "0.0.0.0", userAgent: request.headers.get("User-Agent") };
  const done = (message: string, init?: ResponseInit) => redirectWithToast(samePage(request), { message }, init);
  return withFormErrors(async () => {
    const intent = String(form.get("intent") ?? "");
    if (intent === "link") {
      // A filled honeypot is answered like a real request and sends nothing.
      if (!form.get("website"))
        await requestVoterLink({
          roundId: vote.roundId,
          slug: vote.slug,
          email: String(form.get("email") ?? ""),
          ip: client.ip,
        });
      return done(t("vote.sent"));
    }
    if (intent === "signout") return done(t("vote.signOut"), { headers: { "Set-Cookie": await voterCookieHeader(null) } });
    const voter = await getVoter(request);
    if (!voter)
      return json(
        {
          ok: false as const,
          formError: t("vote.signInFirst"),
          fields: {},
        },
        { status: 401 },
      );
    if (intent === "withdraw") {
      await withdrawVote({ roundId: vote.roundId, voterId: voter.voterId, voteId: Number(form.get("voteId")) || 0 });
      return done(t("vote.withdrawn"));
    }
    const entryIds = form.getAll("entryId").map((v) => Number(v));
    if (entryIds.some((n) => !Number.isInteger(n) || n <= 0))
      return json(
        { ok: false as const, formError: t("vote.notInVote"), fields: {} },
        { status: 400 },
      );
    const r = await castBallot({
      roundId: vote.roundId,
      slug: vote.slug,
      voter,
      entryIds,
      client,
      altcha: typeof form.get("altcha") === "string" ? String(form.get("altcha")) : null,
      byMail: intent === "vote-by-mail",
      honeypot: String(form.get("website") ?? ""),
    });
    return done(r.mailed ? t("vote.mailed") : t("vote.voted", { n: r.cast || entryIds.length }));
  }, lang);
}

export default function VotePage() {
  const { vote, voter, mine } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { round, poll } = vote;
  const open = poll.phase === "open";
  const names = new Map(vote.candidates.map((c) => [c.entryId, c]));
  const votedFor = new Set(mine.map((m) => m.entryId));
  const available = vote.candidates.filter((c) => poll.limits.maxPerEntry > 1 || !votedFor.has(c.entryId));
  const t = useT();
  const lp = useLocalePath();
  const f = useFormat();
  // Product names and the organiser's reasons are data, in Vietnamese (for screen readers on /en).
  const vi = useLang() === "en" ? "vi" : undefined;
  const { limits } = poll;
  const limitText = [
    t("vote.limitsTotal", { n: limits.maxTotal }),
    limits.maxPerEntry === 1 ? t("vote.limitsPerEntryOne") : t("vote.limitsPerEntry", { n: limits.maxPerEntry }),
    ...(limits.maxPerDay ? [t("vote.limitsPerDay", { n: limits.maxPerDay })] : []),
  ].join(", ");
  return (
    <>
      <p className="muted" style={{ margin: 0 }}>
        {round.published ? <Link to={lp(`/rounds/${round.slug}`)}>{t("vote.round")}</Link> : <span lang={vi}>{round.title}</span>}
      </p>
      <h1>
        {t("vote.title")} — <span lang={vi}>{round.title}</span>
      </h1>
      <p>{t("vote.advisory", { award: t("vote.awardName") })}</p>
      <p>
        {t("vote.window")}: {f.dateTime(poll.opensAt)} – {f.dateTime(poll.closesAt)}.{" "}
        <strong>{t(`vote.phase.${poll.phase as VotePhase}`)}</strong>. {limitText}.
      </p>

      <section className="card" aria-labelledby="totals">
        <h2 id="totals">{t("vote.totals")}</h2>
        {vote.award.length ? (
          <p>
            {t("vote.award")} “{t("vote.awardName")}”:{" "}
            {vote.award.map((a, i) => {
              // The award's certificate, once the organiser has issued one, verified like every certificate.
              const cert = vote.awardCertificates.find((c) => c.entryId === a.entryId);
              return (
                <span key={a.entryId}>
                  {i ? ", " : ""}
                  <strong lang={vi}>
                    {a.productName} ({a.entryCode})
                  </strong>
                  {cert ? (
                    <>
                      {" — "}
                      <Link to={lp(`/verify/${cert.code}`)}>{t("vote.awardCertificate", { serial: cert.serial })}</Link>
                      {cert.status === "revoked" ? ` (${t("vote.awardCertificateRevoked")})` : ""}
                    </>
                  ) : null}
                </span>
              );
            })}
          </p>
        ) : null}
        {vote.totals ? (
          <>
            <p className="muted" style={{ overflowWrap: "anywhere" }}>
              {poll.finalHash ? `${t("vote.final")} ${poll.finalHash}` : t("vote.provisional")}
            </p>
            <div className="table-scroll">
              <table>
                <thead>
                  <tr>
                    <th>{t("vote.code")}</th>
                    <th>{t("vote.product")}</th>
                    <th>{t("vote.totals")}</th>
                  </tr>
                </thead>
                <tbody>
                  {vote.totals.map((row) => (
                    <tr key={row.entryId}>
                      <td>{row.entryCode}</td>
                      <td lang={vi}>{row.productName}</td>
                      <td>{f.number(row.votes)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        ) : (
          <p>{t("vote.hidden")}</p>
        )}
        {vote.excluded.count ? (
          <div>
            <p>{t("vote.excluded", { n: f.number(vote.excluded.count) })}</p>
            <ul lang={vi}>
              {vote.excluded.reasons.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          </div>
        ) : poll.phase === "frozen" || poll.phase === "closed" ? (
          <p className="muted">{t("vote.noneExcluded")}</p>
        ) : null}
        <p className="actions">
          <a href={`/rounds/${round.slug}/binh-chon.csv`} download>
            {t("vote.csv")}
          </a>
          <a href={`/api/v1/rounds/${round.slug}/votes`}>{t("vote.api")}</a>
        </p>
      </section>

      {open ? (
        <section className="card" aria-labelledby="ballot">
          <h2 id="ballot">{voter ? t("vote.ballotTitle") : t("vote.proveTitle")}</h2>
          <FormFeedback result={result} />
          {!voter ? (
            <Form method="post" className="stack">
              <input type="hidden" name="intent" value="link" />
              <p>{t("vote.proveText")}</p>
              <Field name="email" label={t("vote.email")} type="email" required autoComplete="email" inputMode="email" maxLength={254} />
              <div className="visually-hidden" aria-hidden="true">
                <label htmlFor="f-website">{t("vote.honeypot")}</label>
                <input id="f-website" name="website" type="text" tabIndex={-1} autoComplete="off" />
              </div>
              <button type="submit" className="btn">
                {t("vote.send")}
              </button>
            </Form>
          ) : (
            <>
              <Form method="post" className="actions">
                <input type="hidden" name="intent" value="signout" />
                <span>
                  {t("vote.signedAs")} <strong>{voter.email}</strong>
                </span>
                <button type="submit" className="btn secondary small">
                  {t("vote.signOut")}
                </button>
              </Form>
              {available.length ? (
                <Form method="post" reloadDocument className="stack">
                  <fieldset>
                    <legend>{t("vote.choose")}</legend>
                    {available.map((c) => (
                      <label key={c.entryId} style={{ display: "block" }}>
                        <input type="checkbox" name="entryId" value={c.entryId} /> <span lang={vi}>{c.productName}</span> ({c.entryCode})
                      </label>
                    ))}
                  </fieldset>
                  <div className="visually-hidden" aria-hidden="true">
                    <label htmlFor="f-website">{t("vote.honeypot")}</label>
                    <input id="f-website" name="website" type="text" tabIndex={-1} autoComplete="off" />
                  </div>
                  <AltchaWidget />
                  <button type="submit" name="intent" value="vote" className="btn">
                    {t("vote.vote")}
                  </button>
                  <noscript>
                    <p>{t("vote.byMail")}</p>
                    <button type="submit" name="intent" value="vote-by-mail" className="btn secondary">
                      {t("vote.byMailButton")}
                    </button>
                  </noscript>
                </Form>
              ) : null}
              <h3>{t("vote.mine")}</h3>
              {mine.length ? (
                <ul>
                  {mine.map((m) => (
                    <li key={m.id}>
                      <Form method="post" className="actions">
                        <input type="hidden" name="intent" value="withdraw" />
                        <input type="hidden" name="voteId" value={m.id} />
                        <span>
                          <span lang={vi}>{names.get(m.entryId)?.productName}</span> ({names.get(m.entryId)?.entryCode}) —{" "}
                          {f.dateTime(m.castAt)}
                        </span>
                        <button
                          type="submit"
                          className="btn secondary small"
                          aria-label={`${t("vote.withdraw")}: ${names.get(m.entryId)?.productName ?? ""}`}
                        >
                          {t("vote.withdraw")}
                        </button>
                      </Form>
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="muted">{t("vote.nothingYet")}</p>
              )}
            </>
          )}
        </section>
      ) : (
        <p>{t("vote.closed")}</p>
      )}
    </>
  );
}
