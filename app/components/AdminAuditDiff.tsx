/** One audit event's changed fields as a small before → after table, in words: field names, related records and known values translated. */
import { hasMessage } from "~/i18n";
import { TableScroll } from "./TableScroll";
import { formatDateShort, formatTime } from "~/i18n/format";
import { useI18n } from "~/i18n/react";

type Value = { kind: "instant"; value: number } | { kind: "text"; value: string } | { kind: "ref"; value: string } | { kind: "empty" };

export interface AuditChangeView {
  field: string;
  before: Value;
  after: Value;
}

/** Yes/no fields stored as 0/1. */
const FLAGS = new Set(["active", "assisted", "late_cancel", "requires_approval", "requires_qualification", "is_demo", "must_change_password"]);

/** A field's name in words: "Mesin", "Pemakaian: Jam mulai"; an unknown one with its underscores as spaces. */
export function useAuditField() {
  const { t } = useI18n();
  const one = (f: string) => (hasMessage(`admin.audit.f.${f}`) ? t(`admin.audit.f.${f}`) : f.replace(/_/g, " "));
  return (field: string) => field.split(".").map(one).join(": ");
}

function Shown({ field, v }: { field: string; v: Value }) {
  const { t, lang, timeZone } = useI18n();
  if (v.kind === "empty") return <span className="muted">—</span>;
  if (v.kind === "instant") return <>{`${formatDateShort(v.value, lang, timeZone)} ${formatTime(v.value, lang, timeZone)}`}</>;
  if (v.kind === "ref") return <strong>{v.value}</strong>;
  const last = field.split(".").pop() ?? field;
  if (FLAGS.has(last) && (v.value === "0" || v.value === "1")) return <>{t(v.value === "1" ? "admin.audit.yes" : "admin.audit.no")}</>;
  for (const key of [`admin.audit.v.${last}.${v.value}`, last === "status" ? `status.${v.value}` : "", last === "role" ? `role.${v.value}` : ""]) {
    if (key && hasMessage(key)) return <>{t(key)}</>;
  }
  return <span className="admin-value">{v.value.length > 300 ? `${v.value.slice(0, 300)}…` : v.value}</span>;
}

export function AdminAuditDiff({ changes, kind }: { changes: AuditChangeView[]; kind: "create" | "delete" | "update" }) {
  const { t } = useI18n();
  const fieldName = useAuditField();
  if (!changes.length) return null;
  return (
    <TableScroll>
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
              <th scope="row">{fieldName(c.field)}</th>
              {kind !== "create" ? (
                <td className={kind === "update" ? "admin-old" : undefined}>
                  <Shown field={c.field} v={c.before} />
                </td>
              ) : null}
              {kind !== "delete" ? (
                <td className={kind === "update" ? "admin-new" : undefined}>
                  <Shown field={c.field} v={c.after} />
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
