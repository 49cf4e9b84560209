/** Conflict resolution: waitlist, fair priority, maintenance rebooking, recurring series, allocation rounds, restriction. Indonesian first; English has the same keys. */
export const id = {
};
export const en: Record<keyof typeof id, string> = {
};
