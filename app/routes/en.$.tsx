/** Any unknown /en/… path: the 404 page, in English (issue 19). */
import { registerEnglish } from "~/i18n/english";

registerEnglish();

export { default, ErrorBoundary, loader } from "./$";
