/** One audit event's changed fields as a small before → after table. */
import { formatDateShort, formatTime } from "~/i18n/format";
import { useI18n } from "~/i18n/react";

type Value = { kind: "instant"; value: number } | { kind: "text"; value: string } | { kind: "empty" };

export interface AuditChangeView {
  field: string;
  before: Value;
  after: Value;
}

function Shown({ v }: { v: Value }) {
  const { lang, timeZone } = useI18n();
  if (v.kind === "empty") return <span className="muted">—</span>;
  if (v.kind === "instant") return <>{`${formatDateShort(v.value, lang, timeZone)} ${formatTime(v.value, lang, timeZone)}`}</>;
  return <span className="admin-value">{v.value.length > 300 ? `${v.value.slice(0, 300)}…` : v.value}</span>;
}

export function AdminAuditDiff({ changes, kind }: { changes: AuditChangeView[]; kind: "create" | "delete" | "update" }) {
  const { t } = useI18n();
  if (!changes.length) return null;
  return (
    <div className="table-wrap">
      <table className="admin-diff">
        <thead>
          <tr>
            <th scope="col">{t("admin.audit.field")}</th>
            {kind !== "create" ? <th scope="col">{t("admin.audit.before")}</th> : null}
            {kind !== "delete" ? <th scope="col">{t("admin.audit.after")}</th> : null}
          </tr>
        </thead>
        <tbody>
          {changes.map((c) => (
            <tr key={c.field}>
              <th scope="row">
                <code>{c.field}</code>
              </th>
              {kind !== "create" ? (
                <td className={kind === "update" ? "admin-old" : undefined}>
                  <Shown v={c.before} />
                </td>
              ) : null}
              {kind !== "delete" ? (
                <td className={kind === "update" ? "admin-new" : undefined}>
                  <Shown v={c.after} />
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
