/** Council roles and their Vietnamese names. Pure: council pages and the minutes read it in the browser. */
export const COUNCIL_ROLES = { chair: "Chủ tịch", member: "Ủy viên", secretary: "Thư ký" } as const;
export type CouncilRole = keyof typeof COUNCIL_ROLES;
