/** The unit's WhatsApp (with a ready message) and its number to call, as two buttons of tap size. */
import { useT } from "~/i18n/react";
import type { UnitContact } from "~/views/contact";

export function UnitContactButtons({ contact, className = "row" }: { contact: UnitContact; className?: string }) {
  const t = useT();
  return (
    <p className={className}>
      <a className="button" href={contact.wa}>
        {t("contact.whatsapp")}
      </a>
      <a className="button" href={contact.tel}>
        {t("contact.call", { phone: contact.display })}
      </a>
    </p>
  );
}
