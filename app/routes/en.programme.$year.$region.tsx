/** /programme/:year/:region in English, at /en/programme/:year/:region (issue 19): the same route module; the URL decides the language. */
import { registerEnglish } from "~/i18n/english";

registerEnglish();

export { default, handle, headers, links, loader, meta } from "./programme.$year.$region";
