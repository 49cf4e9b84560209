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
  /** Make a booking or a round request at all: for one's own IKM or, as staff, for any. */
  "booking:make": ["ikm", ...STAFF],
  /** See every booking and every IKM's name. */
  "booking:viewAll": STAFF,
  "booking:approve": STAFF,
  /** Check in/out, no-show, backfill, walk-in, usage corrections. */
  "floor:operate": STAFF,
  "maintenance:manage": STAFF,
  "waitlist:join": ["ikm"],
  /** Open the waitlist: an IKM's own entries, or (staff) every waiting entry in order. */
  "waitlist:view": ["ikm", ...STAFF],
  /** The allocation rounds in the navigation: those who ask (IKM members) and those who allocate. */
  "rounds:view": ["ikm", "manager", "admin"],
  /** Recompute an allocated round from its recorded inputs and seed. */
  "allocation:replay": STAFF,
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

/** The roles that have a permission (for finding who to tell, not for deciding who may). */
export function rolesWith(permission: Permission): readonly Role[] {
  return PERMISSIONS[permission];
}

export function can(user: Principal | null | undefined, permission: Permission): boolean {
  return !!user && (PERMISSIONS[permission] as readonly Role[]).includes(user.role);
}

export function isStaff(user: Principal | null | undefined): boolean {
  return !!user && STAFF.includes(user.role);
}

/** The user is a member of this IKM (an IKM-owned record is their own). */
export function isOwnIkm(user: Principal | null | undefined, ikmId: number): boolean {
  return !!user && user.role === "ikm" && user.ikmId === ikmId;
}

/** A booking (or any IKM-owned record) is visible to its own IKM and to staff only. */
export function canSeeIkmRecord(user: Principal | null | undefined, ikmId: number): boolean {
  return isStaff(user) || isOwnIkm(user, ikmId);
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

/**
 * Who may open each page route (by route file): "public" (anyone), "user" (any logged-in role),
 * a permission, or a special kind. The authorization-matrix test requests every route file as
 * every role and as a visitor and checks the answer against this table; a route file missing
 * here fails that test.
 */
export type PageAccess = "public" | "user" | Permission | "redirect" | "token" | "setup" | "not-found";

export const PAGE_ACCESS: Record<string, PageAccess> = {
  "_index.tsx": "redirect",
  "$.tsx": "not-found",
  "login.tsx": "public",
  "logout.tsx": "redirect",
  "bahasa.tsx": "redirect",
  "healthz.ts": "public",
  "setup.tsx": "setup",
  "api.docs.tsx": "public",
  "kalender.$token[.]ics.ts": "token",
  "ikm.tsx": "booking:own",
  "jadwal.tsx": "user",
  "mesin.$id.tsx": "user",
  "pesan.tsx": "user",
  "pesan_.cek.ts": "user",
  "pemesanan._index.tsx": "booking:own",
  "pemesanan.$id.tsx": "user",
  "pemesanan.seri.$id.tsx": "user",
  "notifikasi.tsx": "user",
  "daftar-tunggu.tsx": "user",
  "putaran._index.tsx": "user",
  "putaran.$id.tsx": "user",
  "teknisi._index.tsx": "floor:operate",
  "teknisi.persetujuan.tsx": "booking:approve",
  "teknisi.pemesanan.$id.tsx": "floor:operate",
  "teknisi.catat.tsx": "floor:operate",
  "teknisi.perawatan._index.tsx": "maintenance:manage",
  "teknisi.perawatan.$id.tsx": "maintenance:manage",
  "manajer.tsx": "reports:view",
  "laporan._index.tsx": "reports:view",
  "laporan.csv.ts": "reports:view",
  "laporan.xlsx.ts": "reports:view",
  "laporan.rincian.tsx": "reports:view",
  "admin._index.tsx": "admin:read",
  "admin.mesin._index.tsx": "admin:read",
  "admin.mesin.baru.tsx": "admin:read",
  "admin.mesin.$id.tsx": "admin:read",
  "admin.fasilitas.tsx": "admin:read",
  "admin.libur.tsx": "admin:read",
  "admin.ikm._index.tsx": "admin:read",
  "admin.ikm.baru.tsx": "admin:read",
  "admin.ikm.$id.tsx": "admin:read",
  "admin.pengguna._index.tsx": "admin:read",
  "admin.pengguna.baru.tsx": "admin:read",
  "admin.pengguna.$id.tsx": "admin:read",
  "admin.kualifikasi.tsx": "admin:read",
  "admin.audit.tsx": "admin:read",
};
