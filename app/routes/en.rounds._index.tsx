/** /rounds in English, at /en/rounds (issue 19): the same route module; the URL decides the language. */
import { registerEnglish } from "~/i18n/english";

registerEnglish();

export { default, ErrorBoundary, handle, headers, links, loader, meta } from "./rounds._index";
