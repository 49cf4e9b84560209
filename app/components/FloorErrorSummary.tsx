/**
 * What a refused form needs fixed, named field by field, at the top of the page: it takes the
 * focus when it appears (so a phone's screen moves to it, not left at the button) and each line
 * leads to the form.
 */
import { useEffect, useRef } from "react";
import { useI18n } from "~/i18n/react";

export function FloorErrorSummary({ errors, params, labels, formId }: { errors: Record<string, string>; params: Record<string, string | number>; labels: Record<string, string>; formId: string }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.scrollIntoView({ block: "start" });
    ref.current?.focus();
  }, []);
  const fields = Object.keys(errors).filter((f) => f !== "_form");
  if (!fields.length) return null;
  return (
    <div className="alert alert-error floor-error-summary" role="alert" tabIndex={-1} ref={ref}>
      <p>
        <strong>{t("floor.errors.title")}</strong>
      </p>
      <ul>
        {fields.map((f) => (
          <li key={f}>
            <a href={`#${formId}`}>
              {labels[f] ?? f}: {t(errors[f], params)}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
