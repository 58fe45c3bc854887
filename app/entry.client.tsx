import { RemixBrowser } from "@remix-run/react";
import i18next from "i18next";
import { StrictMode, startTransition } from "react";
import { hydrateRoot } from "react-dom/client";
import { I18nextProvider, initReactI18next } from "react-i18next";

import { langFromPath } from "./i18n/config";
import { i18nOptions } from "./i18n/resources";

// The strings are bundled (app/i18n/resources.ts): initialised synchronously, no request.
void i18next.use(initReactI18next).init({ ...i18nOptions, lng: langFromPath(window.location.pathname) });

startTransition(() => {
  hydrateRoot(
    document,
    <StrictMode>
      <I18nextProvider i18n={i18next}>
        <RemixBrowser />
      </I18nextProvider>
    </StrictMode>,
  );
});
