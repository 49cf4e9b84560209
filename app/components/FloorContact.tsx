import { useT } from "~/i18n/react";

/** Call or message the IKM: a tel: link and a wa.me link with the ready text. */
export function FloorContact({ tel, wa, phone, children }: { tel: string | null; wa: string | null; phone?: string | null; children?: React.ReactNode }) {
  const t = useT();
  if (!tel && !wa) {
    return (
      <>
        <p className="muted small">{t("floor.contact.none")}</p>
        {children ? <div className="floor-contact">{children}</div> : null}
      </>
    );
  }
  return (
    <div className="floor-contact">
      {tel ? (
        <a className="button floor-call" href={tel} aria-label={phone ? t("floor.contact.callNumber", { phone }) : undefined}>
          <span aria-hidden="true">☎</span> {t("floor.contact.call")}
        </a>
      ) : null}
      {wa ? (
        <a className="button floor-wa" href={wa} target="_blank" rel="noopener noreferrer">
          <span aria-hidden="true">✉</span> {t("floor.contact.whatsapp")}
        </a>
      ) : null}
      {children}
    </div>
  );
}
