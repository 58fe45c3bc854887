import { Link } from "@remix-run/react";

import { useLocalePath, useT } from "~/i18n/react";

const KNOWN = new Set([400, 403, 404, 429, 503]);

export function ErrorPage({ status, message }: { status: number; message?: string }) {
  const t = useT();
  const lp = useLocalePath();
  const key = KNOWN.has(status) ? status : 500;
  return (
    <div className="card" role="alert">
      <p className="muted">{t("errors.code", { status })}</p>
      <h1>{t(`errors.t${key}`)}</h1>
      <p>{message && status < 500 ? message : t(`errors.x${key}`)}</p>
      <p>
        <Link to={lp("/")}>{t("errors.backHome")}</Link>
      </p>
    </div>
  );
}
