/**
 * The notifications of issue 16 §5 (pure: the preferences form reads it). `legal`: carries a legal
 * effect, so its e-mail always goes whatever the account chose.
 */
export const NOTIFICATION_KINDS = {
  entry_received: { label: "Hồ sơ đã được tiếp nhận", legal: false },
  entry_returned: { label: "Hồ sơ bị trả lại để bổ sung", legal: true },
  entry_eligible: { label: "Hồ sơ đủ điều kiện", legal: false },
  entry_ineligible: { label: "Hồ sơ không đủ điều kiện", legal: true },
  results_published: { label: "Kết quả bình chọn được công bố", legal: true },
  certificate_issued: { label: "Giấy chứng nhận đã được cấp", legal: false },
  juror_assigned: { label: "Được phân công chấm hồ sơ", legal: false },
  scoring_reminder: { label: "Nhắc hạn chấm điểm", legal: false },
  sheet_reopened: { label: "Phiếu chấm được mở lại hoặc không tính", legal: false },
  screening_waiting: { label: "Hồ sơ chờ thẩm định", legal: false },
  sheet_decision: { label: "Phiếu chấm cần quyết định", legal: false },
  batch_finished: { label: "Lượt in giấy chứng nhận xong hoặc lỗi", legal: false },
  integrity_mismatch: { label: "Sai lệch kiểm tra toàn vẹn", legal: false },
  figures_reviewed: { label: "Số liệu khuyến công được duyệt hoặc trả lại", legal: false },
} as const;
export type NotificationKind = keyof typeof NOTIFICATION_KINDS;
export const OPTIONAL_KINDS = (Object.keys(NOTIFICATION_KINDS) as NotificationKind[]).filter((k) => !NOTIFICATION_KINDS[k].legal);
