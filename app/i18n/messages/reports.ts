/** Manager reports: metrics, definitions, charts, CSV. Indonesian first; English has the same keys. */
export const id = {
};
export const en: Record<keyof typeof id, string> = {
};
