import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import {
  Form,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  isRouteErrorResponse,
  useLocation,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { type ReactNode, useEffect, useState } from "react";

import { ErrorPage } from "./components/ErrorPage";
import { LanguageSwitch, useEnglishMirror } from "./components/LanguageSwitch";
import { Toast } from "./components/Toast";
import { switchPath } from "./i18n/config";
import { useLang, useLocalePath, useT } from "./i18n/react";
import { HEADER_BADGES, headerBadges, NO_BADGES } from "./models/account/badges.server";
import { showsDemoNotice } from "./models/shared/app-flags.server";
import styles from "./styles/app.css";
import { getUserWith } from "./utils/auth.server";
import { env } from "./utils/env.server";
import { markDatabaseSuspect } from "./utils/health.server";
import { menuFor } from "./utils/navigation";
import { useNonce } from "./utils/nonce";
import { type Role, ROLE_LABELS } from "./utils/permissions";
import { getToast } from "./utils/toast.server";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [
  { title: "CNNT Tiêu biểu — Bình chọn sản phẩm công nghiệp nông thôn tiêu biểu" },
  {
    name: "description",
    content: "Nền tảng đăng ký, chấm điểm, công bố và tra cứu sản phẩm công nghiệp nông thôn tiêu biểu và Bằng khen khuyến công.",
  },
];

export async function loader({ request }: LoaderFunctionArgs) {
  let user;
  let badges;
  try {
    // The header's badges in the session's statement (the route's loaders share this read).
    ({ user, extras: badges } = await getUserWith(request, HEADER_BADGES));
  } catch (error) {
    markDatabaseSuspect();
    void error;
    throw new Response("Cơ sở dữ liệu tạm thời không truy cập được.", { status: 503 });
  }
  // The one-time message of the form that redirected here: read, cleared by the same response.
  const { toast, headers } = await getToast(request);
  const { unread, invitations } = user ? (badges ?? (await headerBadges(user))) : NO_BADGES;
  // Part of the public state: a page cached with (or without) the notice is dropped when it changes.
  const demo = await showsDemoNotice();
  return json(
    {
      user: user
        ? { fullName: user.fullName, email: user.email, emailVerified: user.emailVerified, roles: [...new Set(user.roles.map((r) => r.role))], unread, invitations }
        : null,
      toast,
      demo,
      // The hreflang links are absolute (search engines ask for it).
      origin: env().PUBLIC_URL,
    },
    headers ? { headers } : undefined,
  );
}

/**
 * The root loader does not run again on a client-side navigation, so its message would follow the
 * visitor to the next page: it is shown only at the location where it arrived.
 */
function ToastMessage() {
  const toast = useRouteLoaderData<typeof loader>("root")?.toast ?? null;
  const location = useLocation();
  const [arrived, setArrived] = useState({ toast, key: location.key });
  if (arrived.toast !== toast) setArrived({ toast, key: location.key });
  return <Toast toast={arrived.key === location.key ? toast : null} />;
}

function Header() {
  const data = useRouteLoaderData<typeof loader>("root");
  const user = data?.user;
  const menu = menuFor(user?.roles ?? []);
  const t = useT();
  const lp = useLocalePath();
  return (
    <header className="site-header">
      <div className="bar">
        <Link to={lp("/")} className="brand">
          {t("common.siteName")}
          <small>{t("common.siteTagline")}</small>
        </Link>
        <div className="user-box">
          <LanguageSwitch />
          {user ? (
            <>
              <Link to="/account" title={user.roles.map((r) => ROLE_LABELS[r as Role]).join(", ")}>
                {user.fullName}
              </Link>
              <Link to="/notifications" aria-label={t("common.notificationsLabel", { n: user.unread })}>
                {t("common.notifications")}
                {user.unread ? <span className="badge-count"> {user.unread}</span> : null}
              </Link>
              {user.invitations ? (
                <Link to="/invitations" aria-label={t("common.invitationsLabel", { n: user.invitations })}>
                  {t("common.invitations")} <span className="badge-count">{user.invitations}</span>
                </Link>
              ) : null}
              <Form method="post" action="/logout" className="inline-form">
                <button type="submit" className="linklike">
                  {t("common.signOut")}
                </button>
              </Form>
            </>
          ) : (
            <>
              <Link to="/login">{t("common.signIn")}</Link>
              <Link to="/signup">{t("common.signUp")}</Link>
            </>
          )}
        </div>
      </div>
      <nav className="site-nav" aria-label={t("common.mainNav")}>
        <ul>
          {menu.map((l) => (
            <li key={l.to}>
              <NavLink to={l.i18nKey ? lp(l.to) : l.to} end={l.end || l.to === "/"}>
                {l.i18nKey ? t(l.i18nKey) : l.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      {user && !user.emailVerified ? <VerifyBanner email={user.email} /> : null}
    </header>
  );
}

/** While the demo data is loaded (issue 15 §8): names, figures and documents are illustrative. */
function DemoNotice() {
  const demo = useRouteLoaderData<typeof loader>("root")?.demo;
  if (!demo) return null;
  return (
    <p className="demo-notice" role="note" data-testid="demo-notice">
      <strong>Dữ liệu minh họa.</strong> Các đợt bình chọn, cơ sở, sản phẩm, người và văn bản trên trang này là dữ liệu mẫu để dùng thử, không phải kết quả chính thức.
    </p>
  );
}

/** Until the address is verified: what cannot be done yet, and a resend (3 an hour). */
function VerifyBanner({ email }: { email: string }) {
  return (
    <div className="alert info banner-verify" role="status">
      <span>
        Email <strong>{email}</strong> chưa được xác nhận: bạn có thể soạn hồ sơ nháp, nhưng chưa thể nộp hồ sơ hay nhận lời mời.
      </span>
      <Form method="post" action="/resend-verification" className="inline-form">
        <button type="submit" className="btn secondary small">
          Gửi lại thư xác nhận
        </button>
      </Form>
    </div>
  );
}

/**
 * `hreflang` alternates of a page that has an English mirror (its route's `handle.english`): both
 * languages and x-default (Vietnamese), absolute, query string kept.
 */
function AlternateLinks() {
  const origin = useRouteLoaderData<typeof loader>("root")?.origin ?? "";
  const location = useLocation();
  if (!useEnglishMirror()) return null;
  return (
    <>
      <link rel="alternate" hrefLang="vi" href={origin + switchPath("vi", location.pathname, location.search)} />
      <link rel="alternate" hrefLang="en" href={origin + switchPath("en", location.pathname, location.search)} />
      <link rel="alternate" hrefLang="x-default" href={origin + switchPath("vi", location.pathname, location.search)} />
    </>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  const lang = useLang();
  const t = useT();
  // Effects run only once React has hydrated: the browser tests wait for this mark (a page whose
  // route module failed to load or crashed never gets it).
  useEffect(() => {
    document.documentElement.dataset.hydrated = "true";
  }, []);
  return (
    <html lang={lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
        <AlternateLinks />
      </head>
      <body>
        <a className="skip-link" href="#main">
          {t("common.skipLink")}
        </a>
        <Header />
        <DemoNotice />
        <main id="main">
          <ToastMessage />
          {children}
        </main>
        <footer className="site-footer">{t("common.footer")}</footer>
        <ScrollRestoration nonce={nonce || undefined} />
        <Scripts nonce={nonce || undefined} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error)) {
    return <ErrorPage status={error.status} message={typeof error.data === "string" ? error.data : undefined} />;
  }
  return <ErrorPage status={500} />;
}
