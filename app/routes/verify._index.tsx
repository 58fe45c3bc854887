import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form } from "@remix-run/react";

import { langFromPath, pathIn } from "~/i18n/config";
import { useT } from "~/i18n/react";
import { fixedT } from "~/i18n/t";
import publicStyles from "~/styles/public.css";

/** Has an English mirror at /en/… (app/routes/en.*): the header offers the language switch and hreflang links. */
export const handle = { english: true };

export const links: LinksFunction = () => [{ rel: "stylesheet", href: publicStyles }];

export const meta: MetaFunction = ({ location }) => {
  const t = fixedT(langFromPath(location.pathname));
  return [
    { title: t("verify.metaTitle") },
    { name: "description", content: t("verify.metaDescription") },
    { property: "og:title", content: t("verify.title") },
    { property: "og:description", content: t("verify.metaDescription") },
  ];
};

/** The form is a GET to this page: a typed code goes to its verification page. */
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const code = url.searchParams.get("code");
  if (code !== null) {
    const clean = code.toUpperCase().replace(/[^0-9A-Z]/g, "").slice(0, 40);
    if (clean) throw redirect(pathIn(langFromPath(url.pathname), `/verify/${clean}`));
  }
  return null;
}

export default function VerifyIndex() {
  const t = useT();
  return (
    <>
      <h1>{t("verify.title")}</h1>
      <div className="card">
        <p>{t("verify.intro")}</p>
        <Form method="get" className="stack" role="search">
          <label htmlFor="code">{t("verify.code")}</label>
          <input id="code" name="code" className="code-input" autoComplete="off" autoCapitalize="characters" spellCheck={false} maxLength={40} required placeholder={t("verify.placeholder")} />
          <p className="hint">{t("verify.hint")}</p>
          <div className="actions">
            <button className="btn" type="submit">
              {t("verify.submit")}
            </button>
          </div>
        </Form>
      </div>
    </>
  );
}
