/** Technician console: today board, approvals, check-in/out, usage, no-show, maintenance, backfill. Indonesian first; English has the same keys. */
export const id = {
};
export const en: Record<keyof typeof id, string> = {
};
