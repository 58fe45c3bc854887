/**
 * The audit log in Vietnamese: what each action code and entity name means to the person who
 * reads the log. Codes stay English in the database and in the CSV export (they are identifiers
 * that scripts filter on); the page shows these labels beside them. A test checks that every
 * action code written anywhere in app/ has a label here.
 */

export const AUDIT_ACTION_LABELS: Record<string, string> = {
  "assignment.add": "Phân công giám khảo chấm hồ sơ",
  "assignment.auto": "Phân công giám khảo tự động",
  "assignment.remove": "Bỏ phân công giám khảo",
  "certificate.batch": "Lập lô giấy chứng nhận",
  "certificate.create": "Cấp giấy chứng nhận",
  "certificate.revoke": "Thu hồi giấy chứng nhận",
  "commendation.create": "Tạo quyết định khen thưởng",
  "commendation.update": "Sửa quyết định khen thưởng",
  "commendation.import": "Nhập danh sách khen thưởng từ tệp",
  "commendation.issue": "Ban hành quyết định khen thưởng",
  "commendation.recipient.add": "Thêm người/tập thể được khen thưởng",
  "commendation.recipient.remove": "Bỏ người/tập thể khỏi quyết định khen thưởng",
  "commendation.recipient.revoke": "Thu hồi Bằng khen",
  "conflict.declare": "Khai báo xung đột lợi ích",
  "council.remove": "Bỏ thành viên hội đồng",
  "council.same_province_rule": "Đổi quy tắc tránh chấm hồ sơ cùng tỉnh",
  "council.save": "Lưu thành viên hội đồng",
  "entry.create": "Tạo hồ sơ tham gia",
  "entry.resubmit": "Nộp lại hồ sơ đã bổ sung",
  "entry.screen_eligible": "Thẩm định: hồ sơ hợp lệ",
  "entry.screen_ineligible": "Thẩm định: hồ sơ không hợp lệ",
  "entry.screen_returned": "Thẩm định: trả hồ sơ để bổ sung",
  "entry.submit": "Nộp hồ sơ",
  "entry.withdraw": "Rút hồ sơ",
  "facility.create": "Đăng ký cơ sở",
  "facility.invite": "Mời nhân viên vào cơ sở",
  "facility.invite_accept": "Nhận lời mời vào cơ sở",
  "facility.update": "Sửa thông tin cơ sở",
  "indicator.create": "Thêm chỉ tiêu khuyến công",
  "indicator.update": "Sửa chỉ tiêu khuyến công",
  "media.document_add": "Tải lên tài liệu",
  "media.document_remove": "Xóa tài liệu",
  "media.photo_add": "Tải lên ảnh sản phẩm",
  "media.photo_remove": "Xóa ảnh sản phẩm",
  "product.create": "Thêm sản phẩm",
  "product.update": "Sửa sản phẩm",
  "programme.approve": "Duyệt số liệu khuyến công",
  "programme.figure.correct": "Đính chính số liệu khuyến công đã duyệt",
  "role.grant": "Cấp vai trò",
  "role.revoke": "Thu hồi vai trò",
  "round.create": "Tạo đợt bình chọn",
  "round.decision": "Ghi nhận quyết định công nhận",
  "round.finalise": "Chốt kết quả đợt bình chọn",
  "round.publish": "Công bố kết quả",
  "round.reopen": "Mở lại đợt bình chọn để đính chính",
  "round.status": "Chuyển giai đoạn đợt bình chọn",
  "round.update": "Sửa thông tin đợt bình chọn",
  "rubric.replace": "Thay bộ tiêu chí chấm điểm",
  "sheet.submit": "Nộp phiếu chấm (khóa)",
  "tie.resolve": "Quyết định trường hợp bằng điểm",
  "user.create": "Tạo tài khoản",
  "user.password_change": "Đổi mật khẩu",
  "user.verify_email": "Xác nhận địa chỉ email",
  "user.password_reset_request": "Yêu cầu đặt lại mật khẩu",
  "user.password_reset": "Đặt lại mật khẩu",
  "user.unlock": "Mở khóa tài khoản",
  "integrity.mismatch": "Phát hiện mã băm kết quả không khớp",
  "invitation.create": "Gửi lời mời",
  "invitation.accept": "Nhận lời mời",
  "invitation.decline": "Từ chối lời mời",
  "invitation.revoke": "Thu hồi lời mời",
  "outbox.resend": "Gửi lại thư",
  "sheet.review_open": "Mở quyết định về phiếu chấm (xung đột phát hiện sau khi nộp)",
  "sheet.decide": "Quyết định tính hay không tính phiếu chấm",
  "conflict.membership": "Ghi nhận xung đột do tham gia cơ sở",
};

export const AUDIT_ENTITY_LABELS: Record<string, string> = {
  certificate: "Giấy chứng nhận",
  commendation_decision: "Quyết định khen thưởng",
  commendation_recipient: "Người/tập thể được khen thưởng",
  council_member: "Thành viên hội đồng",
  entry: "Hồ sơ tham gia",
  facility: "Cơ sở",
  job: "Tác vụ nền",
  product: "Sản phẩm",
  programme_figure: "Số liệu khuyến công",
  programme_indicator: "Chỉ tiêu khuyến công",
  programme_province_period: "Số liệu khuyến công của tỉnh (kỳ báo cáo)",
  round: "Đợt bình chọn",
  score_sheet: "Phiếu chấm",
  user: "Tài khoản",
  invitation: "Lời mời",
  outbox: "Thư đi",
};

/** The groups an action code starts with, for the filter ("round." = every round action). */
export const AUDIT_ACTION_GROUPS: { prefix: string; label: string }[] = [
  { prefix: "round.", label: "Đợt bình chọn" },
  { prefix: "rubric.", label: "Bộ tiêu chí" },
  { prefix: "entry.", label: "Hồ sơ tham gia" },
  { prefix: "council.", label: "Hội đồng" },
  { prefix: "conflict.", label: "Xung đột lợi ích" },
  { prefix: "assignment.", label: "Phân công chấm" },
  { prefix: "sheet.", label: "Phiếu chấm" },
  { prefix: "tie.", label: "Bằng điểm" },
  { prefix: "certificate.", label: "Giấy chứng nhận" },
  { prefix: "commendation.", label: "Khen thưởng" },
  { prefix: "programme.", label: "Số liệu khuyến công" },
  { prefix: "indicator.", label: "Chỉ tiêu khuyến công" },
  { prefix: "facility.", label: "Cơ sở" },
  { prefix: "product.", label: "Sản phẩm" },
  { prefix: "media.", label: "Ảnh và tài liệu" },
  { prefix: "user.", label: "Tài khoản" },
  { prefix: "role.", label: "Vai trò" },
  { prefix: "invitation.", label: "Lời mời" },
  { prefix: "outbox.", label: "Thư đi" },
  { prefix: "integrity.", label: "Kiểm tra toàn vẹn" },
];

/** The Vietnamese label of an action code; an unknown code is shown as it is. */
export function auditActionLabel(code: string): string {
  return AUDIT_ACTION_LABELS[code] ?? code;
}

/** The Vietnamese name of an audited entity; an unknown one is shown as it is. */
export function auditEntityLabel(entity: string): string {
  return AUDIT_ENTITY_LABELS[entity] ?? entity;
}
