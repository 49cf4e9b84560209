import { useT } from "~/i18n/react";

/** Status in words with a colour: colour is never the only signal. */
export function StatusBadge({ status }: { status: string }) {
  const t = useT();
  return <span className={`status status-${status}`}>{t(`status.${status}`)}</span>;
}
