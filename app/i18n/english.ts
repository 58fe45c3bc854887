/** Registers the English table; each `en.*` route module calls it, so only English pages load it. */
import en from "./locales/en";
import { registerStrings } from "./translate";

export function registerEnglish() {
  registerStrings("en", en);
}
