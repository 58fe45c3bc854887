/** /rounds/:slug/binh-chon in English, at /en/rounds/:slug/binh-chon (issue 19): the same route module; the URL decides the language. */
import { registerEnglish } from "~/i18n/english";

registerEnglish();

export { default, action, handle, links, loader, meta } from "./rounds.$slug_.binh-chon";
