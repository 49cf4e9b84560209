/**
 * The personal calendar feed on "my bookings": create, show the secret link once, regenerate,
 * revoke, with instructions for Google Calendar and phones. Plain form posts.
 */
import { Form } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useI18n } from "~/i18n/react";
import { BookingSubmit } from "./BookingParts";

export function IcsFeedSection({ active, url, revoked }: { active: boolean; url: string | null; revoked: boolean }) {
  const { t } = useI18n();
  // The copy button needs JavaScript (the clipboard): shown only once the page is interactive.
  const [canCopy, setCanCopy] = useState(false);
  const [copied, setCopied] = useState(false);
  useEffect(() => setCanCopy(typeof navigator !== "undefined" && !!navigator.clipboard), []);
  return (
    <section className="card" id="kalender" aria-labelledby="cal-title">
      <h2 id="cal-title">{t("ikm.cal.title")}</h2>
      <p>{t("ikm.cal.intro")}</p>
      {revoked ? (
        <p className="alert alert-info" role="status">
          {t("ikm.cal.revoked")}
        </p>
      ) : null}
      {url ? (
        <div className="alert alert-ok" role="status">
          <p>
            <strong>{t("ikm.cal.url")}</strong>
          </p>
          <label className="field">
            <span className="sr-only">{t("ikm.cal.urlLabel")}</span>
            <input type="text" readOnly value={url} className="ics-url" onFocus={(e) => e.currentTarget.select()} />
          </label>
          <p className="small">{t("ikm.cal.copyHint")}</p>
          <div className="row">
            {canCopy ? (
              <button
                type="button"
                className="button small primary"
                onClick={() => {
                  navigator.clipboard.writeText(url).then(() => setCopied(true), () => setCopied(false));
                }}
              >
                {copied ? t("ikm.cal.copied") : t("ikm.cal.copy")}
              </button>
            ) : null}
            <a className="button small" href={url.replace(/^https?:/, "webcal:")}>
              {t("ikm.cal.openPhone")}
            </a>
          </div>
        </div>
      ) : active ? (
        <p className="muted">{t("ikm.cal.active")}</p>
      ) : null}
      <details className="ics-help">
        <summary>{t("ikm.cal.howTitle")}</summary>
        <ol>
          <li>{t("ikm.cal.google")}</li>
          <li>{t("ikm.cal.android")}</li>
          <li>{t("ikm.cal.iphone")}</li>
        </ol>
      </details>
      <div className="row">
        <Form method="post" action="/pemesanan?index#kalender" preventScrollReset>
          <input type="hidden" name="intent" value="calendar-create" />
          <BookingSubmit className="button small primary" match={{ intent: "calendar-create" }}>
            {active || url ? t("ikm.cal.regenerate") : t("ikm.cal.create")}
          </BookingSubmit>
        </Form>
        {active || url ? (
          <Form method="post" action="/pemesanan?index#kalender" preventScrollReset>
            <input type="hidden" name="intent" value="calendar-revoke" />
            <BookingSubmit className="button small danger" match={{ intent: "calendar-revoke" }}>
              {t("ikm.cal.revoke")}
            </BookingSubmit>
          </Form>
        ) : null}
      </div>
      {active || url ? <p className="muted small">{t("ikm.cal.regenWarn")}</p> : null}
    </section>
  );
}
