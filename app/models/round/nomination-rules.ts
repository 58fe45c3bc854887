/** Names of the ways a round takes entries (issue 15 §1). Pure: the nominations page imports it. */
export const INTAKE_MODE_NAMES = { direct: "Cơ sở đăng ký trực tiếp", nomination: "Cấp dưới đề nghị (công văn)" } as const;
