/** /rounds/:slug/du-kien in English, at /en/rounds/:slug/du-kien (issue 19): the same route module; the URL decides the language. */
import { registerEnglish } from "~/i18n/english";

registerEnglish();

export { default, action, ErrorBoundary, handle, loader, meta } from "./rounds.$slug_.du-kien";
