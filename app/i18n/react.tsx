import { createContext, useContext, useMemo } from "react";
import { type Lang, type T, makeT } from "./index";

interface I18n {
  lang: Lang;
  timeZone: string;
  t: T;
}

const Ctx = createContext<I18n>({ lang: "id", timeZone: "Asia/Jakarta", t: makeT("id") });

export function I18nProvider({ lang, timeZone, children }: { lang: Lang; timeZone: string; children: React.ReactNode }) {
  const value = useMemo(() => ({ lang, timeZone, t: makeT(lang) }), [lang, timeZone]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  return useContext(Ctx);
}

export function useT(): T {
  return useContext(Ctx).t;
}
