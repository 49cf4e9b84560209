/** Administration: machines, tariffs, facility, closure days, IKMs, users, qualifications, audit log. Indonesian first; English has the same keys. */
export const id = {
};
export const en: Record<keyof typeof id, string> = {
};
