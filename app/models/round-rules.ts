/**
 * Round states, their Vietnamese names, the forward steps and level names. Pure: the browser bundle
 * imports this (a component must never read a value from a `.server` module, which is empty there).
 */
import type { RoundStatus } from "../../db/schema";

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
