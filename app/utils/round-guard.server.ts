/**
 * The guard of every organiser round page: the permission, then the round by slug inside the
 * caller's scope (404 outside it).
 */
import { getRoundInScope } from "../models/round/round.server";
import { requirePermission } from "./auth.server";
import { orErrorPage } from "./http.server";
import type { Permission } from "./permissions";

export async function requireOrganizerRound(request: Request, slug: string | undefined, permission: Permission) {
  const user = await requirePermission(request, permission);
  const round = await orErrorPage(() => getRoundInScope({ slug: slug ?? "", roles: user.roles }));
  return { user, round };
}
