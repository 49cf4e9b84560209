/**
 * i18n: every user-visible string comes from the message files under ./messages (Indonesian
 * first, English with the same keys). Add an area by creating messages/<area>.ts exporting
 * `id` and `en` and listing it below.
 */
import * as admin from "./messages/admin";
import * as api from "./messages/api";
import * as auth from "./messages/auth";
import * as booking from "./messages/booking";
import * as conflicts from "./messages/conflicts";
import * as floor from "./messages/floor";
import * as reports from "./messages/reports";
import * as waitlist from "./messages/waitlist";
import * as common from "./messages/common";
import * as home from "./messages/home";

const areas = [common, auth, home, booking, floor, reports, admin, conflicts, api, waitlist] as const;

export type Lang = "id" | "en";
export const LANGS: readonly Lang[] = ["id", "en"];

const dictionaries: Record<Lang, Record<string, string>> = {
  id: Object.assign({}, ...areas.map((a) => a.id)),
  en: Object.assign({}, ...areas.map((a) => a.en)),
};

export type Params = Record<string, string | number>;

/** Translate a key; {name} placeholders are replaced from params. Unknown keys fall back to Indonesian, then the key. */
export function translate(lang: Lang, key: string, params?: Params): string {
  const template = dictionaries[lang][key] ?? dictionaries.id[key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

export function hasMessage(key: string): boolean {
  return key in dictionaries.id;
}

export function parseLang(value: unknown): Lang {
  return value === "en" ? "en" : "id";
}

/** Keys are checked by a test that finds every t("…") call in app/ and looks it up. */
export type T = (key: string, params?: Params) => string;

export function makeT(lang: Lang): T {
  return (key, params) => translate(lang, key, params);
}

/** For tests: every area has the same keys in both languages. */
export function missingTranslations(): string[] {
  return areas.flatMap((a) =>
    Object.keys(a.id)
      .filter((k) => !(k in a.en))
      .concat(Object.keys(a.en).filter((k) => !(k in a.id))),
  );
}
