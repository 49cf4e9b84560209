/**
 * Who may do what: the one permissions module. Loaders, actions, API routes and the UI (to
 * decide whether to show a button) all ask here. Client-safe: no server imports.
 */
export type Role = "ikm" | "technician" | "manager" | "admin";
export const ROLES: readonly Role[] = ["ikm", "technician", "manager", "admin"];
const STAFF: Role[] = ["technician", "manager", "admin"];

export const PERMISSIONS = {
  /** Book for one's own IKM; see one's own IKM's bookings, waitlist, calendar feed. */
  "booking:own": ["ikm"],
  /** Book for any IKM (staff entry), with overrides of soft rules. */
  "booking:any": STAFF,
  /** See every booking and every IKM's name. */
  "booking:viewAll": STAFF,
  "booking:approve": STAFF,
  /** Check in/out, no-show, backfill, walk-in, usage corrections. */
  "floor:operate": STAFF,
  "maintenance:manage": STAFF,
  "waitlist:join": ["ikm"],
  "reports:view": ["manager", "admin"],
  "allocation:run": ["manager", "admin"],
  "restriction:lift": ["manager", "admin"],
  /** Read the administration pages (machines, facility, IKMs, users, audit log). */
  "admin:read": ["manager", "admin"],
  /** Change machines, rules, tariffs, hours, closure days, IKMs, users, qualifications. */
  "admin:write": ["admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export interface Principal {
  id: number;
  role: Role;
  ikmId: number | null;
}

export function can(user: Principal | null | undefined, permission: Permission): boolean {
  return !!user && (PERMISSIONS[permission] as readonly Role[]).includes(user.role);
}

export function isStaff(user: Principal | null | undefined): boolean {
  return !!user && STAFF.includes(user.role);
}

/** A booking (or any IKM-owned record) is visible to its own IKM and to staff only. */
export function canSeeIkmRecord(user: Principal | null | undefined, ikmId: number): boolean {
  if (!user) return false;
  return isStaff(user) || (user.role === "ikm" && user.ikmId === ikmId);
}

/** The home page of each role. */
export function homePath(role: Role): string {
  switch (role) {
    case "ikm":
      return "/ikm";
    case "technician":
      return "/teknisi";
    case "manager":
      return "/manajer";
    case "admin":
      return "/admin";
  }
}
