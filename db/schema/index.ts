/**
 * The whole data model (DESIGN.md §3). Tables are plural, columns snake_case in SQL and camelCase
 * here. Rules that must hold even against a direct SQL statement live in check constraints here and
 * in the triggers of the custom migrations (finalisation lock, append-only audit, score maxima).
 */
export * from "./accounts";
export * from "./audit";
export * from "./certificates";
export * from "./deliberation";
export * from "./entries";
export * from "./facilities";
export * from "./nominations";
export * from "./programme";
export * from "./reference";
export * from "./rounds";
export * from "./scoring";
export * from "./votes";
