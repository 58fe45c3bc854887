/** Where an accepted invitation leads (pure: used by the invitation routes). */
export function pageAfterAccepting(accepted: { kind: string; facilityId: number | null }) {
  if (accepted.kind === "facility") return `/facility/${accepted.facilityId}?nhan-loi=ok`;
  if (accepted.kind === "council") return "/jury?nhan-loi=ok";
  return "/account?nhan-loi=ok";
}
