import { formatRupiah } from "~/i18n/format";
import { useI18n } from "~/i18n/react";
import { formatDuration } from "~/i18n/violations";
import type { FeeView } from "~/views/floor";


/** The fee and how it was reached: used time, rounding to the increment, the tariff. */
export function FloorFee({ fee, title, live }: { fee: FeeView; title?: string; live?: boolean }) {
  const { t, lang } = useI18n();
  return (
    <div className="floor-fee" aria-live={live ? "polite" : undefined}>
      <p className="floor-fee-title">{title ?? t("floor.fee.title")}</p>
      <p className="floor-fee-amount">{formatRupiah(fee.fee)}</p>
      <p className="floor-fee-how">
        {t("floor.fee.how", {
          used: formatDuration(fee.actualMinutes, lang),
          billed: formatDuration(fee.billableMinutes, lang),
          increment: formatDuration(fee.incrementMinutes, lang),
          rate: formatRupiah(fee.hourlyRate),
        })}
        {fee.breakMinutes > 0 ? ` ${t("floor.fee.break", { minutes: formatDuration(fee.breakMinutes, lang) })}` : ""}
      </p>
    </div>
  );
}
