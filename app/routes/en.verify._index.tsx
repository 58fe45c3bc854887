/** /verify in English, at /en/verify (issue 19): the same route module; the URL decides the language. */
import { registerEnglish } from "~/i18n/english";

registerEnglish();

export { default, handle, links, loader, meta } from "./verify._index";
