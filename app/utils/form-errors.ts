/**
 * A failed form's errors as the page receives them: per field (or "_form" for the whole form)
 * an i18n key and its parameters. Client-safe: the pages read these.
 */
export type FormError = { key: string; params?: Record<string, string | number> };
export type FormErrors = Record<string, FormError>;

/** The errors as one key per field, with the parameters of all of them (pages that show one message per field). */
export function flatFormErrors(errors: FormErrors | undefined): { errors: Record<string, string>; params: Record<string, string | number> } {
  const flat: Record<string, string> = {};
  const params: Record<string, string | number> = {};
  for (const [field, e] of Object.entries(errors ?? {})) {
    flat[field] = e.key;
    Object.assign(params, e.params ?? {});
  }
  return { errors: flat, params };
}
