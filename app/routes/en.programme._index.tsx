/** /programme in English, at /en/programme (issue 19): the same route module; the URL decides the language. */
import { registerEnglish } from "~/i18n/english";

registerEnglish();

export { default, handle, headers, links, loader, meta } from "./programme._index";
