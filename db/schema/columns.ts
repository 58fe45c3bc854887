/** Column builders shared by the schema files. */
import { numeric, timestamp } from "drizzle-orm/pg-core";

export const createdAt = () => timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();
export const updatedAt = () => timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();
export const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
/** Points and scores: exact decimals, returned as strings by the drivers and converted in models. */
export const points = (name: string) => numeric(name, { precision: 5, scale: 2 });
