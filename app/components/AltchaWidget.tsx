import { useEffect, useState } from "react";

/**
 * The ALTCHA proof-of-work widget (issue 19), from the npm package bundled with the page (its
 * "external" build: no inline styles or blob workers, so the CSP holds); the worker script is served
 * by the site (/binh-chon/altcha-worker.js). Without JavaScript nothing renders and the form offers
 * the e-mail confirmation instead.
 */
const STRINGS = JSON.stringify({
  ariaLinkLabel: "ALTCHA",
  error: "Kiểm tra thất bại. Vui lòng thử lại.",
  expired: "Hết thời gian kiểm tra. Vui lòng thử lại.",
  label: "Tôi không phải máy",
  verified: "Đã kiểm tra",
  verifying: "Đang kiểm tra…",
  waitAlert: "Đang kiểm tra… vui lòng chờ.",
  verificationRequired: "Vui lòng hoàn tất bước kiểm tra trước khi gửi.",
  footer: "Chống bình chọn tự động bằng ALTCHA",
});

export function AltchaWidget() {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let live = true;
    void import("altcha/external").then(() => live && setReady(true));
    return () => {
      live = false;
    };
  }, []);
  if (!ready) return null;
  return (
    <altcha-widget
      challengeurl="/binh-chon/thu-thach"
      workerurl="/binh-chon/altcha-worker.js"
      name="altcha"
      strings={STRINGS}
      auto="onload"
    />
  );
}
