/**
 * The council's rules (issue 14), pure so pages and tests read them: seat names, quorum, the vote
 * rule, the recommended list (pass mark, quota, order), the public stage of a round, complaint
 * limits and wording. The jury (Ban giám khảo) scores; the council (Hội đồng bình chọn) votes.
 */
import type { RoundStatus } from "../../../db/schema";

export const SEAT_NAMES = { chair: "Chủ tịch", vice_chair: "Phó Chủ tịch", member: "Ủy viên", secretary: "Ủy viên thư ký" } as const;
export type SeatRoleName = keyof typeof SEAT_NAMES;
export const BODY_NAMES = { jury: "Ban giám khảo", council: "Hội đồng bình chọn" } as const;

export const DEFAULT_QUORUM_PCT = 50;
export const DEFAULT_VOTE_PCT = 50;
/** Length of the complaint window: configurable per round; the legal length is unconfirmed. */
export const DEFAULT_COMPLAINT_DAYS = 10;
export const COMPLAINT_MIN = 20;
export const COMPLAINT_MAX = 5000;
/** Complaints per client (address) per hour; the throttle in throttle.server counts them. */
export const COMPLAINT_LIMIT_PER_HOUR = 3;
/** Confirmation mails to one address per hour (a complaint by e-mail without an account). */
export const COMPLAINT_MAILS_PER_ADDRESS = 3;
/** How long the mailed link of a complaint by e-mail stays usable. */
export const COMPLAINT_LINK_HOURS = 24;

/** Smallest number strictly above pct % of n ("more than half" = pct 50). */
export function moreThan(pct: number, n: number) {
  return Math.floor((pct * n) / 100) + 1;
}

/** Members needed present for the session to vote. */
export function quorumNeeded(membersTotal: number, quorumPct = DEFAULT_QUORUM_PCT) {
  return moreThan(quorumPct, membersTotal);
}

export function hasQuorum(present: number, membersTotal: number, quorumPct = DEFAULT_QUORUM_PCT) {
  return membersTotal > 0 && present >= quorumNeeded(membersTotal, quorumPct);
}

/** Agreeing votes needed for an entry to be voted in. */
export function votesNeeded(present: number, votePct = DEFAULT_VOTE_PCT) {
  return moreThan(votePct, present);
}

export function ruleText(pct: number, of: string) {
  return pct === 50 ? `quá nửa số ${of}` : `trên ${pct}% số ${of}`;
}

export interface Candidate {
  entryId: number;
  code: string | null;
  mean: number | null;
  passed: boolean;
}
export interface VoteOutcome {
  entryId: number;
  approved: boolean;
  reason: string | null;
}

/**
 * Checks the council's list: only entries at or above the pass mark, at most the quota, and every
 * departure from the jury's order (an entry left out while one with an equal or lower mean is in —
 * a tie at the boundary included) explained. Returns Vietnamese problems (empty = fine).
 */
export function checkRecommendedList(input: { candidates: Candidate[]; votes: VoteOutcome[]; quota: number | null }) {
  const problems: string[] = [];
  const byId = new Map(input.candidates.map((c) => [c.entryId, c]));
  const approved = input.votes.filter((v) => v.approved);
  for (const v of approved) {
    const c = byId.get(v.entryId);
    if (!c || !c.passed) problems.push(`${c?.code ?? `#${v.entryId}`} dưới điểm đạt: không thể đề nghị công nhận.`);
  }
  if (input.quota != null && approved.length > input.quota)
    problems.push(`Danh sách có ${approved.length} sản phẩm, vượt chỉ tiêu ${input.quota}: biểu quyết lại để còn tối đa ${input.quota}.`);
  const lowestIn = Math.min(...approved.map((v) => byId.get(v.entryId)?.mean ?? Infinity));
  for (const v of input.votes) {
    const c = byId.get(v.entryId);
    if (v.approved || !c?.passed || c.mean == null) continue;
    if (c.mean >= lowestIn && !(v.reason && v.reason.trim().length >= 10))
      problems.push(`${c.code ?? `#${c.entryId}`} (${c.mean.toFixed(2)} điểm) không được đề nghị trong khi sản phẩm điểm bằng hoặc thấp hơn được đề nghị: ghi lý do.`);
  }
  return problems;
}

export type Stage = "registration" | "screening" | "scoring" | "council" | "provisional" | "decided" | "published";
export const STAGE_NAMES: Record<Stage, string> = {
  registration: "Đang nhận hồ sơ",
  screening: "Thẩm định hồ sơ",
  scoring: "Ban giám khảo chấm điểm",
  council: "Hội đồng bình chọn xét chọn",
  provisional: "Công khai kết quả dự kiến",
  decided: "Đã có quyết định công nhận",
  published: "Đã công bố",
};

export function stageOf(input: { status: RoundStatus; decisionNo: string | null; provisionalPublishedAt: Date | string | null }): Stage {
  switch (input.status) {
    case "draft":
    case "registration":
      return "registration";
    case "screening":
      return "screening";
    case "scoring":
      return "scoring";
    case "published":
    case "archived":
      return "published";
    default:
      if (input.decisionNo) return "decided";
      return input.provisionalPublishedAt ? "provisional" : "council";
  }
}

export const COMPLAINT_STATUS_NAMES = { open: "Đang xem xét", accepted: "Chấp nhận", rejected: "Không chấp nhận" } as const;
export const FOLLOW_UP_NAMES = { none: "Không cần xử lý thêm", rescreen: "Thẩm định lại hồ sơ", new_session: "Họp lại hội đồng" } as const;
export const PROCESS_SUBJECT = "quy trình";

/** A complaint as the decision sees it: its resolution and, for a re-screening, the outcome. */
export interface FollowUpState {
  code: string;
  entryCode: string | null;
  status: "open" | "accepted" | "rejected";
  followUp: "none" | "rescreen" | "new_session" | null;
  resolvedAt: Date | null;
  rescreen: { outcome: "eligible" | "ineligible"; decidedAt: Date } | null;
}

/**
 * What an accepted complaint still asks for before the decision (issue 14 §3): a re-screening not
 * yet recorded; a council session after the complaint was accepted (follow-up "new session") or
 * after a re-screening found the entry ineligible (the candidates changed, so the list goes back
 * through the council). A session counts only if it was opened after that moment. Returns
 * Vietnamese problems (empty = the decision may be recorded, as far as complaints go).
 */
export function openFollowUps(input: { complaints: FollowUpState[]; latestSessionOpenedAt: Date | null }): string[] {
  const problems: string[] = [];
  const needSession: string[] = [];
  for (const c of input.complaints) {
    if (c.status !== "accepted") continue;
    if (c.followUp === "rescreen" && !c.rescreen) {
      problems.push(`Hồ sơ ${c.entryCode ?? "?"} chờ thẩm định lại theo khiếu nại ${c.code}: ghi kết quả thẩm định lại trước khi có quyết định.`);
      continue;
    }
    const since = c.followUp === "new_session" ? c.resolvedAt : c.followUp === "rescreen" && c.rescreen?.outcome === "ineligible" ? c.rescreen.decidedAt : null;
    if (since && !(input.latestSessionOpenedAt && input.latestSessionOpenedAt > since)) needSession.push(c.code);
  }
  if (needSession.length)
    problems.push(`Khiếu nại ${needSession.join(", ")} được chấp nhận: hội đồng cần họp lại và công khai lại danh sách trước khi có quyết định.`);
  return problems;
}

export const RESCREEN_OUTCOME_NAMES = { eligible: "Vẫn đủ điều kiện", ineligible: "Không đủ điều kiện" } as const;
