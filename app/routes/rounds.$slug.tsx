import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";

import { ProductCard, RouteErrorBoundary, toCard, useGroupName, useLevelName } from "~/components/PublicParts";
import { langFromPath, pathIn } from "~/i18n/config";
import { requestT } from "~/i18n/i18next.server";
import { useFormat, useLocalePath, useT } from "~/i18n/react";
import { fixedT } from "~/i18n/t";
import { browseWinners } from "~/models/public/browse";
import { findPublishedRound, listWinners } from "~/models/public/catalogue.server";
import { isOpenCall } from "~/models/round/call.server";
import { publicRoundInfo } from "~/models/round/public.server";
import { hasPublicVote } from "~/models/vote/poll.server";
import publicStyles from "~/styles/public.css";
import { cacheHeaders, conditionalGet } from "~/utils/cache.server";
import { env } from "~/utils/env.server";
import { formatNumber } from "~/utils/format";

/** Has an English mirror at /en/… (app/routes/en.*): the header offers the language switch and hreflang links. */
export const handle = { english: true };

export const links: LinksFunction = () => [{ rel: "stylesheet", href: publicStyles }];
export const headers = cacheHeaders;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const cache = await conditionalGet(request, "round-page");
  const slug = params.slug ?? "";
  const round = await cache.memo(`round:${slug}`, () => findPublishedRound(slug));
  const url = new URL(request.url);
  if (!round) {
    const lang = langFromPath(url.pathname);
    // A round still taking entries has its call for entries instead of results.
    if (await isOpenCall(slug)) throw redirect(pathIn(lang, `/rounds/${slug}/the-le`));
    // Between the council and publication the round page is its provisional list (issue 14).
    if ((await publicRoundInfo(slug))?.provisional) throw redirect(pathIn(lang, `/rounds/${slug}/du-kien`));
    throw new Response((await requestT(request))("errors.roundNotFound"), { status: 404 });
  }
  const all = await cache.memo(`winners:${round.id}`, () => listWinners(round.id));
  const hasVote = await cache.memo(`has-vote:${round.id}`, () => hasPublicVote(round.id));
  const cards = await cache.memo(`cards:${round.id}`, async () => new Map(all.map((w) => [w.entryId, toCard(w)])));
  const view = browseWinners(all, {
    group: url.searchParams.get("group"),
    province: url.searchParams.get("province"),
    sort: url.searchParams.get("sort"),
    page: url.searchParams.get("page"),
  });
  const { publicVersion: _v, id: _id, ...publicRound } = round;
  return json(
    {
      round: publicRound,
      hasVote,
      ...view,
      items: view.items.map((w) => cards.get(w.entryId)!),
      origin: env().PUBLIC_URL,
    },
    { headers: cache.headers },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data, location }) => {
  const lang = langFromPath(location.pathname);
  const t = fixedT(lang);
  if (!data) return [{ title: t("round.notFoundTitle") }];
  const url = `${data.origin}${pathIn(lang, `/rounds/${data.round.slug}`)}`;
  const description = t(data.round.decisionNo ? "round.metaDescriptionDecision" : "round.metaDescription", {
    n: formatNumber(data.total, 0, lang),
    level: (lang === "vi" ? data.round.levelName : t(`levels.${data.round.level}`)).toLowerCase(),
    year: data.round.year,
    no: data.round.decisionNo,
  });
  return [
    { title: `${data.round.title} — CNNT Tiêu biểu` },
    { name: "description", content: description },
    { property: "og:type", content: "website" },
    { property: "og:locale", content: lang === "en" ? "en_GB" : "vi_VN" },
    { property: "og:title", content: data.round.title },
    { property: "og:description", content: description },
    { property: "og:url", content: url },
    { property: "og:image", content: `${data.origin}/rounds/${data.round.slug}/og.png` },
    { property: "og:image:width", content: "1200" },
    { property: "og:image:height", content: "630" },
    { name: "twitter:card", content: "summary_large_image" },
    { tagName: "link", rel: "canonical", href: url },
  ];
};

const SORTS = [
  { value: "rank", label: "round.sortRank" },
  { value: "name", label: "round.sortName" },
  { value: "province", label: "round.sortProvince" },
];

export default function RoundPage() {
  const data = useLoaderData<typeof loader>();
  const { round, filters } = data;
  const t = useT();
  const lp = useLocalePath();
  const f = useFormat();
  const levelName = useLevelName();
  const groupName = useGroupName();
  const groupNames = new Map(data.options.groups.map((g) => [g.no, g.name]));
  const pageHref = (page: number) => {
    const p = new URLSearchParams();
    if (filters.group) p.set("group", String(filters.group));
    if (filters.province) p.set("province", filters.province);
    if (filters.sort !== "rank") p.set("sort", filters.sort);
    if (page > 1) p.set("page", String(page));
    const s = p.toString();
    return s ? `?${s}` : ".";
  };
  return (
    <>
      <p className="muted">
        <Link to={lp("/rounds")}>{t("nav.rounds")}</Link> › {levelName(round.level, round.levelName)} · {round.year}
      </p>
      <h1>{round.title}</h1>
      <div className="card">
        <p>
          <strong>{t("round.recognised", { n: f.number(data.total) })}</strong>
          {t("round.recognisedRest")}
          {round.registeredCount ? t("round.ofRegistered", { n: f.number(round.registeredCount) }) : ""}
          {t("round.passMark", { mark: f.number(round.passMark) })}
        </p>
        {round.decisionNo ? (
          <p>
            {t("round.decision")}
            <strong>{round.decisionNo}</strong>
            {round.decisionDate ? t("round.decisionDate", { date: f.date(round.decisionDate) }) : ""}
            {t("round.decisionBy", { authority: round.authority })}
            {round.decisionSigner ? t("round.decisionSigner", { signer: round.decisionSigner }) : ""}.
          </p>
        ) : null}
        {round.finalHash ? (
          <p className="hint" data-testid="final-hash">
            {t("round.hash")} <code>{round.finalHash.slice(0, 16)}</code>
          </p>
        ) : null}
        <p className="actions">
          <a className="btn secondary small" href={`/rounds/${round.slug}/winners.csv`} download>
            {t("round.csv")}
          </a>
          <a className="btn secondary small" href={`/rounds/${round.slug}/winners.xlsx`} download>
            {t("round.xlsx")}
          </a>
          {data.hasVote ? (
            <a className="btn secondary small" href={`/rounds/${round.slug}/binh-chon`}>
              Bình chọn của công chúng
            </a>
          ) : null}
        </p>
      </div>

      <Form method="get" className="card filters" aria-label={t("round.filters")}>
        <div>
          <label htmlFor="f-group">{t("round.group")}</label>
          <select id="f-group" name="group" defaultValue={filters.group ? String(filters.group) : ""}>
            <option value="">{t("round.allGroups")}</option>
            {data.options.groups.map((g) => (
              <option key={g.no} value={g.no}>
                {t("parts.group", { no: g.no, name: groupName(g.no, g.name) })}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="f-province">{t("round.province")}</label>
          <select id="f-province" name="province" defaultValue={filters.province ?? ""}>
            <option value="">{t("round.allProvinces")}</option>
            {data.options.provinces.map((p) => (
              <option key={p.code} value={p.code}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="f-sort">{t("round.sortBy")}</label>
          <select id="f-sort" name="sort" defaultValue={filters.sort}>
            {SORTS.map((s) => (
              <option key={s.value} value={s.value}>
                {t(s.label)}
              </option>
            ))}
          </select>
        </div>
        <button className="btn" type="submit">
          {t("round.filter")}
        </button>
      </Form>

      {data.notes.map((n) => (
        <p key={n} className="alert info" role="status">
          {n}
        </p>
      ))}

      <h2 id="list-title">
        {data.matched === data.total
          ? t("round.listAll", { n: f.number(data.total) })
          : t("round.listMatched", { matched: f.number(data.matched), total: f.number(data.total) })}
      </h2>
      {data.items.length ? (
        <ul className="cards" aria-labelledby="list-title" data-testid="winners">
          {data.items.map((w, i) => (
            <ProductCard key={w.productId} w={w} eager={i < 4} groupName={groupNames.get(w.groupNo) ?? ""} />
          ))}
        </ul>
      ) : (
        <p>{t("round.noMatch")}</p>
      )}

      {data.pages > 1 ? (
        <nav className="pager" aria-label={t("round.pager")}>
          {data.page > 1 ? <Link to={pageHref(data.page - 1)}>{t("round.previous")}</Link> : null}
          <span>{t("round.pageOf", { page: data.page, pages: data.pages })}</span>
          {data.page < data.pages ? <Link to={pageHref(data.page + 1)}>{t("round.next")}</Link> : null}
        </nav>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
