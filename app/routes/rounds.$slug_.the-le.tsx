import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useRouteLoaderData } from "@remix-run/react";

import { RouteErrorBoundary, useGroupName, useLevelName } from "~/components/PublicParts";
import { langFromPath } from "~/i18n/config";
import { requestT } from "~/i18n/i18next.server";
import { useFormat, useLang, useLocalePath, useT } from "~/i18n/react";
import { fixedT } from "~/i18n/t";
import { getOpenCall, type PublicCriterion } from "~/models/round/call.server";
import { DOC_TYPES, DOSSIER_FIELDS, MIN_PHOTOS, REQUIRED_DOC_TYPES } from "~/schemas/dossier";
import publicStyles from "~/styles/public.css";
import { cacheHeaders, conditionalGet } from "~/utils/cache.server";
import { entryDoorFor } from "~/utils/navigation";

/** Has an English mirror at /en/… (app/routes/en.*): the header offers the language switch and hreflang links. */
export const handle = { english: true };

export const links: LinksFunction = () => [{ rel: "stylesheet", href: publicStyles }];
export const headers = cacheHeaders;

/** GET /rounds/:slug/the-le — the public call for entries of a round open for registration. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const cache = await conditionalGet(request, "call");
  const call = await cache.memo(`call:${params.slug ?? ""}`, () => getOpenCall(params.slug ?? ""));
  if (!call) throw new Response((await requestT(request))("call.notFound"), { status: 404 });
  return json({ call }, { headers: cache.headers });
}

export const meta: MetaFunction<typeof loader> = ({ data, location }) => {
  const t = fixedT(langFromPath(location.pathname));
  return [
    { title: data ? t("call.metaTitle", { title: data.call.title }) : t("call.metaTitleNone") },
    { name: "description", content: data ? t("call.metaDescription", { title: data.call.title }) : "" },
  ];
};

function Criteria({ nodes }: { nodes: PublicCriterion[] }) {
  const t = useT();
  const f = useFormat();
  const vi = f.lang === "vi" ? undefined : "vi";
  return (
    <ul>
      {nodes.map((n) => (
        <li key={n.code}>
          {n.code}. <span lang={vi}>{n.name}</span> — <strong>{t("call.points", { n: f.number(n.maxPoints, n.maxPoints % 1 ? 1 : 0) })}</strong>
          {n.children.length ? <Criteria nodes={n.children} /> : null}
        </li>
      ))}
    </ul>
  );
}

/** What this visitor does next: the steps are the same for everyone, the first door depends on who they are. */
function HowToEnter({ open }: { open: boolean }) {
  const root = useRouteLoaderData<{ user: { roles: string[] } | null }>("root");
  const door = entryDoorFor(root?.user ?? null);
  const t = useT();
  return (
    <section className="card" aria-labelledby="cach-tham-gia" id="tham-gia">
      <h2 id="cach-tham-gia">{t("call.howTo")}</h2>
      <ol>
        <li>{t("call.step1")}</li>
        <li>{t("call.step2")}</li>
        <li>{t("call.step3")}</li>
        <li>{t("call.step4")}</li>
      </ol>
      {!open ? null : door === "sign-up" ? (
        <p className="actions">
          <Link className="btn" to="/signup">
            {t("call.signUp")}
          </Link>
          <Link className="btn secondary" to="/login?redirectTo=/facility">
            {t("common.signIn")}
          </Link>
        </p>
      ) : door === "facility" ? (
        <p className="actions">
          <Link className="btn" to="/facility">
            {t("call.toFacility")}
          </Link>
        </p>
      ) : (
        <p className="alert info">{t("call.officerAccount")}</p>
      )}
    </section>
  );
}

export default function CallForEntries() {
  const { call } = useLoaderData<typeof loader>();
  const open = call.phase === "open";
  const total = call.rubric.reduce((s, n) => s + n.maxPoints, 0);
  const t = useT();
  const lp = useLocalePath();
  const f = useFormat();
  const vi = useLang() === "vi" ? undefined : "vi";
  const levelName = useLevelName();
  const groupName = useGroupName();
  const opens = f.dateTime(call.registrationOpensAt);
  const closes = f.dateTime(call.registrationClosesAt);
  return (
    <>
      <p className="muted">
        <Link to={lp("/rounds")}>{t("call.rounds")}</Link> › {t("call.breadcrumb")}
      </p>
      <h1>{call.title}</h1>
      <p className={`alert ${open ? "ok" : "info"}`} role="status">
        {call.phase === "upcoming" ? (
          <>
            {t("call.from")} <strong>{opens}</strong> {t("call.to")} <strong>{closes}</strong> ({t("common.vietnamTime")}).
          </>
        ) : open ? (
          <>
            {t("call.openNow")} <strong>{closes}</strong> ({t("common.vietnamTime")}).
          </>
        ) : (
          <>{t("call.closed", { when: closes })}</>
        )}{" "}
        {open ? <a href="#tham-gia">{t("call.howTo")}</a> : null}
      </p>

      <section className="card" aria-labelledby="h-info">
        <h2 id="h-info">{t("call.info")}</h2>
        <dl className="facts">
          <dt>{t("call.level")}</dt>
          <dd>
            {levelName(call.level, call.levelName)} · {call.scopeName} · {t("common.year", { year: call.year })}
          </dd>
          <dt>{t("call.authority")}</dt>
          <dd lang={vi}>{call.authority}</dd>
          <dt>{t("call.entries")}</dt>
          <dd>{t("call.window", { opens, closes })}</dd>
          <dt>{t("call.scoringBy")}</dt>
          <dd>{f.dateTime(call.scoringClosesAt)}</dd>
          <dt>{t("call.passMark")}</dt>
          <dd>
            {t("call.passMarkText", { mark: f.number(call.passMark, call.passMark % 1 ? 1 : 0) })}
            {call.quota ? t("call.quota", { n: f.number(call.quota) }) : ""}
          </dd>
        </dl>
      </section>

      <section className="card" aria-labelledby="h-rules">
        <h2 id="h-rules">{t("call.rules")}</h2>
        <ul>
          <li>{t("call.rule1")}</li>
          <li>{t("call.rule2")}</li>
          <li>{t("call.rule3")}</li>
          {call.needsLowerCertificate ? <li>{t("call.rule4")}</li> : null}
        </ul>
      </section>

      <section className="card" aria-labelledby="h-groups">
        <h2 id="h-groups">{t("call.groups")}</h2>
        <ol>
          {call.groups.map((g) => (
            <li key={g.no}>{groupName(g.no, g.name)}</li>
          ))}
        </ol>
      </section>

      <section className="card" aria-labelledby="h-dossier">
        <h2 id="h-dossier">{t("call.dossier")}</h2>
        <ul>
          <li>
            {t("call.form")} <span lang={vi}>{DOSSIER_FIELDS.map((d) => d.label.toLowerCase()).join("; ")}</span>.
          </li>
          <li>{t("call.photos", { n: MIN_PHOTOS })}</li>
          {REQUIRED_DOC_TYPES.map((d) => (
            <li key={d}>
              <span lang={vi}>{DOC_TYPES[d]}</span> {t("call.pdfRequired")}
            </li>
          ))}
          {call.needsLowerCertificate ? (
            <li>
              <span lang={vi}>{DOC_TYPES.earlier_certificate}</span> {t("call.pdfRequired")}
            </li>
          ) : null}
          <li>{t("call.otherDocs")}</li>
        </ul>
      </section>

      <section className="card" aria-labelledby="h-criteria">
        <h2 id="h-criteria">{t("call.criteria", { n: f.number(total, total % 1 ? 1 : 0) })}</h2>
        {call.rubric.length ? <Criteria nodes={call.rubric} /> : <p className="muted">{t("call.noCriteria")}</p>}
      </section>

      <HowToEnter open={open} />
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
