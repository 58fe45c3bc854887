/**
 * Entry states as the lifecycle reads them: which may be edited, submitted, withdrawn, screened, and
 * which are counted in results. Pure: loaders turn these into `can*` flags; models enforce them.
 */
import type { EntryStatus } from "../../../db/schema";
import { isScreeningOpen, type RoundStage } from "../round/rules";

/** The owner may edit and submit these (a withdrawn entry is saved back to a draft first). */
export const EDITABLE_ENTRY_STATUSES = ["draft", "returned"] as const satisfies readonly EntryStatus[];
/** The owner may save a draft of these. */
export const SAVABLE_ENTRY_STATUSES = ["draft", "returned", "withdrawn"] as const satisfies readonly EntryStatus[];
/** The owner may withdraw these, until screening decided. */
export const WITHDRAWABLE_ENTRY_STATUSES = ["draft", "submitted", "returned"] as const satisfies readonly EntryStatus[];
/** The organiser may screen (or re-screen) these. */
export const SCREENABLE_ENTRY_STATUSES = ["submitted", "eligible", "ineligible"] as const satisfies readonly EntryStatus[];
/** Entries in the competition: scored, ranked, decided. */
export const COMPETING_ENTRY_STATUSES = ["eligible", "selected", "not_selected"] as const satisfies readonly EntryStatus[];
/** Entries the council has decided on. */
export const DECIDED_ENTRY_STATUSES = ["selected", "not_selected"] as const satisfies readonly EntryStatus[];
/** Statuses whose screening note the owner reads (returned: to fix; ineligible: why). */
export const NOTED_ENTRY_STATUSES = ["returned", "ineligible"] as const satisfies readonly EntryStatus[];

const isIn = (list: readonly string[], status: string): boolean => list.includes(status);

/** The owner may withdraw the entry: still undecided, while registration or screening runs. */
export const canWithdrawEntry = (entry: { status: string }, round: RoundStage): boolean =>
  isIn(WITHDRAWABLE_ENTRY_STATUSES, entry.status) && isScreeningOpen(round);
/** The organiser may screen the entry now. */
export const canScreenEntry = (entry: { status: string }, round: RoundStage): boolean =>
  isIn(SCREENABLE_ENTRY_STATUSES, entry.status) && isScreeningOpen(round);
/** The owner may save this entry's dossier (no entry yet counts as a new draft). */
export const canSaveEntry = (entry: { status: string } | null | undefined): boolean => !entry || isIn(SAVABLE_ENTRY_STATUSES, entry.status);
/** The owner reads a screening note on this entry. */
export const showsScreeningNote = (entry: { status: string; screeningNote?: string | null }): boolean =>
  Boolean(entry.screeningNote) && isIn(NOTED_ENTRY_STATUSES, entry.status);
/** What the public sees of an entry: recognised, in a published round. */
export const isPublicEntry = (entry: { status: string }, round: { status: string }): boolean =>
  round.status === "published" && entry.status === "selected";
