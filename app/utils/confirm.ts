/**
 * Irreversible actions and what the person is told before doing one. The same text is shown in
 * the dialog (with JavaScript) and in the confirmation step the server answers when a form
 * arrives without `confirm=1` (without JavaScript), so the consequence is named exactly once.
 */
export interface Confirmation {
  /** The question, naming the action ("Nộp phiếu chấm?"). */
  title: string;
  /** What will happen and what cannot be undone. */
  message: string;
  /** The label of the button that goes ahead. */
  confirmLabel: string;
}

/** The form field that marks a confirmed submission. */
export const CONFIRM_FIELD = "confirm";

export const CONFIRM = {
  submitSheet: {
    title: "Nộp phiếu chấm?",
    message: "Sau khi nộp, phiếu sẽ bị khóa và không sửa được. Điểm của phiếu được tính vào kết quả của sản phẩm.",
    confirmLabel: "Nộp phiếu",
  },
  declareConflict: {
    title: "Khai báo xung đột lợi ích?",
    message:
      "Sau khi khai báo, bạn không còn chấm hồ sơ này và không tự rút lại được khai báo; phiếu nháp (nếu có) không được tính.",
    confirmLabel: "Khai báo và rút khỏi hồ sơ",
  },
  advanceRound: (next: string): Confirmation => ({
    title: `Chuyển đợt sang “${next}”?`,
    message: `Đợt sẽ chuyển sang giai đoạn “${next}” ngay và không quay lại giai đoạn trước được. Các cơ sở, giám khảo và Ban tổ chức làm việc theo giai đoạn mới.`,
    confirmLabel: `Chuyển sang “${next}”`,
  }),
  finalise: {
    title: "Chốt kết quả?",
    message:
      "Sau khi chốt, bảng điểm được khóa bằng mã băm SHA-256 và không sửa được; muốn sửa phải mở lại đợt, có ghi lý do vào nhật ký.",
    confirmLabel: "Chốt kết quả",
  },
  resolveTie: {
    title: "Ghi nhận quyết định về đồng điểm?",
    message:
      "Các sản phẩm đã chọn được công nhận ở suất còn lại; quyết định và lý do được ghi vào nhật ký và không sửa được trên trang này.",
    confirmLabel: "Ghi nhận quyết định",
  },
  publishProvisional: {
    title: "Công khai kết quả dự kiến?",
    message:
      "Danh sách hội đồng đề nghị công nhận hiện công khai trên trang của đợt và thời hạn khiếu nại bắt đầu tính. Không rút lại được.",
    confirmLabel: "Công khai và mở thời hạn khiếu nại",
  },
  closeSession: {
    title: "Kết thúc phiên họp?",
    message:
      "Danh sách sản phẩm được biểu quyết đồng ý trở thành danh sách hội đồng đề nghị công nhận; không ghi thêm biểu quyết trong phiên này.",
    confirmLabel: "Kết thúc phiên họp",
  },
  councilDecision: {
    title: "Ghi quyết định công nhận?",
    message:
      "Kết quả của đợt được chốt theo danh sách trong quyết định (bảng điểm bị khóa, mã băm được lưu). Chỉ mở lại được bằng thủ tục mở lại có lý do.",
    confirmLabel: "Ghi quyết định và chốt kết quả",
  },
  publish: {
    title: "Công bố kết quả?",
    message:
      "Kết quả sẽ hiện công khai và mỗi sản phẩm được công nhận được cấp giấy chứng nhận có mã xác minh. Việc công bố không hoàn tác được.",
    confirmLabel: "Công bố và cấp giấy chứng nhận",
  },
  reopen: {
    title: "Mở lại đợt đã chốt?",
    message:
      "Kết quả đã chốt (và đã công bố, nếu có) sẽ bị hủy, mã băm cũ không còn là kết quả cuối và lý do được ghi vào nhật ký; phải chốt và công bố lại.",
    confirmLabel: "Mở lại đợt",
  },
  resetRubric: {
    title: "Khôi phục thang điểm mặc định?",
    message: "Mọi tiêu chí và điểm tối đa đã sửa của đợt sẽ bị thay bằng thang điểm mặc định và không lấy lại được.",
    confirmLabel: "Khôi phục mặc định",
  },
  clearGroupRubric: {
    title: "Bỏ tiêu chí con riêng của nhóm?",
    message: "Các tiêu chí con riêng của nhóm sản phẩm này sẽ bị xóa; hồ sơ của nhóm sẽ được chấm theo thang điểm chung của đợt.",
    confirmLabel: "Dùng thang điểm chung",
  },
  removeMember: {
    title: "Rút thành viên khỏi hội đồng?",
    message: "Thành viên sẽ bị rút khỏi hội đồng và mọi lượt phân công chấm của họ trong đợt bị xóa.",
    confirmLabel: "Rút khỏi hội đồng",
  },
  revokeRole: {
    title: "Thu hồi vai trò?",
    message:
      "Người dùng mất ngay vai trò này cùng mọi quyền đi kèm, và mọi phiên đăng nhập của họ kết thúc. Muốn trao lại phải cấp vai trò mới.",
    confirmLabel: "Thu hồi vai trò",
  },
  issueDecision: {
    title: "Ban hành quyết định?",
    message:
      "Quyết định và danh sách người nhận sẽ bị khóa, không sửa được nữa; mỗi người nhận được cấp số Bằng khen và tệp PDF.",
    confirmLabel: "Ban hành và phát hành Bằng khen",
  },
  revokeMerit: {
    title: "Thu hồi Bằng khen?",
    message:
      "Bằng khen sẽ bị thu hồi vĩnh viễn: trang tra cứu công khai và tệp PDF ghi “Đã thu hồi” cùng lý do. Không hoàn tác được.",
    confirmLabel: "Thu hồi Bằng khen",
  },
  submitEntry: {
    title: "Nộp hồ sơ?",
    message:
      "Sau khi nộp, hồ sơ được chụp lại nguyên trạng và khóa để Ban tổ chức thẩm định; bạn không sửa được nữa trừ khi hồ sơ bị trả lại bổ sung.",
    confirmLabel: "Nộp hồ sơ",
  },
  withdrawEntry: {
    title: "Rút hồ sơ?",
    message: "Hồ sơ sẽ rời khỏi đợt bình chọn ngay; muốn tham gia lại phải lưu và nộp lại trước hạn nộp hồ sơ.",
    confirmLabel: "Rút hồ sơ",
  },
  deleteFile: {
    title: "Xoá tệp?",
    message: "Tệp sẽ bị xoá khỏi sản phẩm và không khôi phục được; muốn dùng lại phải tải lên lần nữa.",
    confirmLabel: "Xoá tệp",
  },
} as const satisfies Record<string, Confirmation | ((...args: string[]) => Confirmation)>;

/** What a confirmation step answers (see confirmationStep in http.server.ts). */
export interface ConfirmationStep {
  confirmation: Confirmation & {
    /** The submitted fields, sent again with the confirming button (files cannot be). */
    carry: [string, string][];
  };
}
