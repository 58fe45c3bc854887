/** /binh-chon/xac-nhan/:token in English, at /en/binh-chon/xac-nhan/:token (issue 19): the same route module; the URL decides the language. */
import { registerEnglish } from "~/i18n/english";

registerEnglish();

export { default, action, handle, loader, meta } from "./binh-chon.xac-nhan.$token";
