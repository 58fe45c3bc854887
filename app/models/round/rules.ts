/**
 * Round states, their Vietnamese names, the forward steps and level names. Pure: the browser bundle
 * imports this (a component must never read a value from a `.server` module, which is empty there).
 */
import defaults from "../../../db/reference/round-defaults.json";
import type { RoundStatus } from "../../../db/schema";

export const STATUS_NAMES: Record<RoundStatus, string> = {
  draft: "Bản nháp",
  registration: "Đang nhận hồ sơ",
  screening: "Thẩm định hồ sơ",
  scoring: "Đang chấm điểm",
  deliberation: "Hội đồng xét kết quả",
  published: "Đã công bố",
  archived: "Lưu trữ",
};

export const ROUND_STATUSES = Object.keys(STATUS_NAMES) as [RoundStatus, ...RoundStatus[]];

/** The only forward steps `advanceRound` takes; publishing has its own function. */
export const NEXT_STATUS: Partial<Record<RoundStatus, RoundStatus>> = {
  draft: "registration",
  registration: "screening",
  screening: "scoring",
  scoring: "deliberation",
  published: "archived",
};

export const LEVEL_NAMES: Record<string, string> = {
  commune: "Cấp xã",
  district: "Cấp huyện",
  province: "Cấp tỉnh",
  region: "Cấp khu vực",
  national: "Cấp quốc gia",
};

/** Lower levels first: a product's history reads commune → national. */
export const LEVEL_ORDER: Record<string, number> = { commune: 1, district: 2, province: 3, region: 4, national: 5 };

// ── Stage predicates: the one home of "what may happen at this stage". Models enforce them, loaders
// return them as `can*` flags, routes and components never compare statuses themselves. ──

/** What a stage predicate reads of a round (a row, or the loader's copy of it with dates as strings). */
export type RoundStage = { status: RoundStatus | (string & {}); finalisedAt?: Date | string | null };

/** Before scoring: the rubric and the result rules (pass mark, quota, conflict rule) may still change. */
export const PRE_SCORING_STATUSES = ["draft", "registration", "screening"] as const satisfies readonly RoundStatus[];
/** While sheets are judged: scoring, then the council's deliberation. */
export const JUDGING_STATUSES = ["scoring", "deliberation"] as const satisfies readonly RoundStatus[];
/** Jurors may read a sheet of these rounds (judging, and afterwards their own record). */
export const SHEET_READABLE_STATUSES = ["scoring", "deliberation", "published"] as const satisfies readonly RoundStatus[];
/** The organiser screens dossiers (and owners withdraw them) while registration or screening runs. */
export const SCREENING_ROUND_STATUSES = ["registration", "screening"] as const satisfies readonly RoundStatus[];
/** Jurors are assigned while screening and scoring. */
export const ASSIGNING_STATUSES = ["screening", "scoring"] as const satisfies readonly RoundStatus[];
/** The council (members, invitations, conflicts) is closed from deliberation on. */
export const COUNCIL_CLOSED_STATUSES = ["deliberation", "published", "archived"] as const satisfies readonly RoundStatus[];
/** Published rounds and their archive: nothing of the round changes any more. */
export const CLOSED_STATUSES = ["published", "archived"] as const satisfies readonly RoundStatus[];

const isIn = <T extends string>(list: readonly T[], status: string): boolean => (list as readonly string[]).includes(status);

export const isFinalised = (r: RoundStage): boolean => Boolean(r.finalisedAt);
/** The rubric may be edited (the database freezes it too once scoring starts). */
export const canEditRubric = (r: RoundStage): boolean => !isFinalised(r) && isIn(PRE_SCORING_STATUSES, r.status);
/** Pass mark, quota and the same-province conflict rule may change. */
export const canChangeResultRules = (r: RoundStage): boolean => isIn(PRE_SCORING_STATUSES, r.status);
/** Title, dates and the other settings may change. */
export const canEditRound = (r: RoundStage): boolean => !isFinalised(r) && !isIn(CLOSED_STATUSES, r.status);
/** Council members, invitations and declared conflicts may change. */
export const canEditCouncil = (r: RoundStage): boolean => !isFinalised(r) && !isIn(COUNCIL_CLOSED_STATUSES, r.status);
/** Jurors may be assigned to entries. */
export const canAssign = (r: RoundStage): boolean => !isFinalised(r) && isIn(ASSIGNING_STATUSES, r.status);
/** Dossiers are screened (and may be withdrawn by their owners). */
export const isScreeningOpen = (r: RoundStage): boolean => isIn(SCREENING_ROUND_STATUSES, r.status);
/** The round is being judged: scoring or deliberation (finalised or not). */
export const isJudging = (r: RoundStage): boolean => isIn(JUDGING_STATUSES, r.status);
/** Finalisation, ties and late conflicts: judging and not yet finalised. */
export const canFinalise = (r: RoundStage): boolean => !isFinalised(r) && isJudging(r);
/** A juror may still declare a conflict (after submitting: a request the organiser decides). */
export const canDeclareLateConflict = canFinalise;
/** Finalised and still in deliberation: the decision may be recorded and the results published. */
export const canPublish = (r: RoundStage): boolean => isFinalised(r) && r.status === "deliberation";
/** Decided and published: the round's recognised products may be nominated to the level above (issue 15). */
export const canNominateFrom = (r: RoundStage & { decisionNo: string | null }): boolean => isIn(CLOSED_STATUSES, r.status) && !!r.decisionNo;
/** The scoring stage (whatever the deadline): jurors see their queue to score. */
export const isScoringStage = (r: RoundStage): boolean => r.status === "scoring";
/** Jurors may read their sheets. */
export const isSheetReadable = (r: RoundStage): boolean => isIn(SHEET_READABLE_STATUSES, r.status);
/** Sheets may be saved and submitted: scoring, not finalised, before the scoring deadline. */
export function isScoringOpen(r: RoundStage & { scoringClosesAt: Date | string }, now = new Date()): boolean {
  return r.status === "scoring" && !isFinalised(r) && now <= new Date(r.scoringClosesAt);
}
/** Owners may register and submit: registration, between the opening and the closing time. */
export function isRegistrationOpen(
  r: RoundStage & { registrationOpensAt: Date | string; registrationClosesAt: Date | string },
  now = new Date(),
): boolean {
  return r.status === "registration" && now >= new Date(r.registrationOpensAt) && now < new Date(r.registrationClosesAt);
}

/**
 * Whether a round slug from an address could name a round: not empty, not absurdly long, no NUL
 * (an address with %00: PostgreSQL refuses a text with it, which would be a 500, not a 404).
 */
export const isPlausibleSlug = (slug: string): boolean => slug.length > 0 && slug.length <= 200 && !slug.includes("\u0000");

export type PassMarkDefaults = Record<string, { value: number; confirmed: boolean }>;
/** The default pass mark per level (db/reference/round-defaults.json; 70 today, unconfirmed above province). */
export const DEFAULT_PASS_MARKS: PassMarkDefaults = defaults.passMark;

/** The pass mark a round of `level` takes when the organiser leaves it blank. */
export function defaultPassMark(level: string, table: PassMarkDefaults = DEFAULT_PASS_MARKS): number {
  return table[level]?.value ?? 70;
}
