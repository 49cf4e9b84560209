/**
 * The machine form (new and edit): identity, every rule setting with the facility default as
 * its hint, approval/qualification/operator/allocation, optional narrower opening hours, and
 * (new machines) the first tariff. Before a change that would break future bookings is saved,
 * the page shows them here and asks for confirmation.
 */
import { Form, Link, useNavigation } from "@remix-run/react";
import { formatDateShort, formatRupiah, formatTimeRange } from "~/i18n/format";
import { useI18n } from "~/i18n/react";
import { formatDuration, violationMessage } from "~/i18n/violations";
import { AdminHoursEditor, type HoursValue } from "./AdminHoursEditor";
import { CheckField, type Errors, Field, FormAlert, SelectField, TextAreaField, isChecked, shownValue } from "./AdminForm";
import type { AffectedView, RuleDefaults } from "~/views/admin";

export interface MachineFormValues {
  code: string;
  name: string;
  typeId: number | null;
  status: string;
  description: string;
  location: string;
  slotMinutes: number | null;
  minMinutes: number | null;
  maxMinutes: number | null;
  bufferMinutes: number | null;
  noticeMinutes: number | null;
  horizonDays: number | null;
  weeklyQuotaMinutes: number | null;
  maxActiveBookings: number | null;
  billingIncrementMinutes: number | null;
  requiresApproval: boolean;
  requiresQualification: boolean;
  operatorMode: string;
  allocationMode: string;
  hours: HoursValue | null;
}

export interface MachineFormFailure {
  errors?: Errors;
  values?: Record<string, unknown>;
  preview?: { affected: AffectedView[]; token: string };
}

/** A list of future bookings and, for each, the rules it does not fit (in sentences). */
export function AffectedList({ items }: { items: AffectedView[] }) {
  const { t, lang, timeZone } = useI18n();
  return (
    <ul className="admin-affected">
      {items.map((b) => (
        <li key={b.id}>
          <div>
            <strong>
              {formatDateShort(b.start, lang, timeZone)} {formatTimeRange(b.start, b.end, lang, timeZone)}
            </strong>{" "}
            · {b.ikmName} <Link to={`/teknisi/pemesanan/${b.id}`} className="admin-booking-link">(#{b.id})</Link>{" "}
            <span className={`status status-${b.status}`}>{t(`status.${b.status}`)}</span>
          </div>
          <ul className="admin-violations">
            {b.violations.map((v, i) => (
              <li key={`${v.code}-${i}`}>{violationMessage(v, lang, timeZone, b.start)}</li>
            ))}
          </ul>
        </li>
      ))}
    </ul>
  );
}

/** "Save anyway" (carrying the token of exactly this change) or cancel. */
function ConfirmRow({ token }: { token: string }) {
  const { t } = useI18n();
  return (
    <div className="row admin-confirm">
      <button type="submit" name="confirm" value={token} className="button primary">
        {t("admin.machine.impact.confirm")}
      </button>
      <Link to="." className="button">
        {t("common.cancel")}
      </Link>
    </div>
  );
}

const RULES: Array<{ name: keyof RuleDefaults & keyof MachineFormValues; unit: "minutes" | "days" | "hours" | "count"; step?: number }> = [
  { name: "slotMinutes", unit: "minutes" },
  { name: "minMinutes", unit: "minutes" },
  { name: "maxMinutes", unit: "minutes" },
  { name: "bufferMinutes", unit: "minutes" },
  { name: "noticeMinutes", unit: "minutes" },
  { name: "horizonDays", unit: "days" },
  { name: "weeklyQuotaMinutes", unit: "hours" },
  { name: "maxActiveBookings", unit: "count" },
  { name: "billingIncrementMinutes", unit: "minutes" },
];

export function AdminMachineForm({
  mode,
  machine,
  types,
  defaults,
  facilityHours,
  failure,
  canWrite,
  today,
}: {
  mode: "create" | "edit";
  machine: MachineFormValues | null;
  types: Array<{ id: number; name: string; code: string }>;
  defaults: RuleDefaults;
  facilityHours: HoursValue;
  failure?: MachineFormFailure;
  canWrite: boolean;
  today: string;
}) {
  const { t, lang } = useI18n();
  const nav = useNavigation();
  const busy = nav.state !== "idle" && nav.formMethod === "POST";
  const errors = failure?.errors ?? {};
  const v = (name: string, fallback: string | number | null | undefined) => shownValue(failure, name, fallback);

  const defaultLabel = (rule: (typeof RULES)[number]) => {
    const d = defaults[rule.name];
    switch (rule.unit) {
      case "minutes":
        return formatDuration(d, lang);
      case "days":
        return t("admin.unit.days", { n: d });
      case "hours":
        return formatDuration(d, lang);
      default:
        return t("admin.unit.bookings", { n: d });
    }
  };
  const current = (rule: (typeof RULES)[number]) => {
    const raw = machine?.[rule.name] as number | null | undefined;
    if (raw === null || raw === undefined) return "";
    return rule.unit === "hours" ? String(raw / 60).replace(".", ",") : String(raw);
  };
  const customHours = failure?.values ? isChecked(failure, "customHours", false) : !!machine?.hours;
  const preview = failure?.preview;

  return (
    <Form method="post" noValidate className="stack admin-form">
      <input type="hidden" name="intent" value="save" />
      <FormAlert errors={errors} />
      {preview ? (
        <div className="alert alert-warn" role="alert">
          <p className="admin-alert-line">
            <strong>{t("admin.machine.impact.title", { n: preview.affected.length })}</strong>
          </p>
          <p className="admin-alert-line">{t("admin.machine.impact.body")}</p>
          <ConfirmRow token={preview.token} />
          <AffectedList items={preview.affected} />
          {preview.affected.length > 3 ? <ConfirmRow token={preview.token} /> : null}
        </div>
      ) : null}
      <fieldset className="card stack" disabled={!canWrite}>
        <legend>{t("admin.machine.identity")}</legend>
        <div className="grid-2">
          <Field
            name="code"
            label={t("admin.machine.code")}
            defaultValue={v("code", machine?.code)}
            error={errors.code}
            required
            maxLength={20}
            autoCapitalize="characters"
            autoComplete="off"
            hint={t("admin.machine.codeHint")}
          />
          <Field name="name" label={t("admin.machine.name")} defaultValue={v("name", machine?.name)} error={errors.name} required maxLength={100} />
          <SelectField name="typeId" label={t("admin.machine.type")} defaultValue={v("typeId", machine?.typeId)} error={errors.typeId} required hint={canWrite ? <Link to="/admin/mesin#jenis">{t("admin.machine.addTypeLink")}</Link> : undefined}>
            <option value="">{t("admin.choose")}</option>
            {types.map((ty) => (
              <option key={ty.id} value={ty.id}>
                {ty.name} ({ty.code})
              </option>
            ))}
          </SelectField>
          <SelectField name="status" label={t("admin.machine.status")} defaultValue={v("status", machine?.status ?? "active")} error={errors.status} hint={t("admin.machine.statusHint")}>
            {["active", "maintenance", "retired"].map((s) => (
              <option key={s} value={s}>
                {t(`admin.machine.status.${s}`)}
              </option>
            ))}
          </SelectField>
          <Field name="location" label={t("admin.machine.location")} defaultValue={v("location", machine?.location)} error={errors.location} maxLength={200} />
        </div>
        <TextAreaField name="description" label={t("admin.machine.description")} defaultValue={v("description", machine?.description)} error={errors.description} maxLength={1000} rows={3} />
      </fieldset>

      <fieldset className="card stack" disabled={!canWrite}>
        <legend>{t("admin.machine.rules")}</legend>
        <p className="muted small">{t("admin.machine.rulesHelp")}</p>
        <div className="grid-2 admin-rules">
          {RULES.map((rule) => {
            const field = rule.name === "weeklyQuotaMinutes" ? "weeklyQuotaHours" : rule.name;
            return (
              <Field
                key={rule.name}
                name={field}
                label={t(`admin.rule.${rule.name}`)}
                type="text"
                inputMode={rule.unit === "hours" ? "decimal" : "numeric"}
                defaultValue={v(field, current(rule))}
                placeholder={rule.unit === "hours" ? String(defaults[rule.name] / 60).replace(".", ",") : String(defaults[rule.name])}
                error={errors[field]}
                hint={t("admin.rule.defaultHint", { value: defaultLabel(rule) })}
                autoComplete="off"
              />
            );
          })}
        </div>
        <CheckField name="requiresApproval" label={t("admin.machine.requiresApproval")} defaultChecked={failure?.values ? isChecked(failure, "requiresApproval", false) : !!machine?.requiresApproval} hint={t("admin.machine.requiresApprovalHint")} />
        <CheckField
          name="requiresQualification"
          label={t("admin.machine.requiresQualification")}
          defaultChecked={failure?.values ? isChecked(failure, "requiresQualification", false) : !!machine?.requiresQualification}
          hint={t("admin.machine.requiresQualificationHint")}
        />
        <div className="grid-2">
          <SelectField name="operatorMode" label={t("admin.machine.operatorMode")} defaultValue={v("operatorMode", machine?.operatorMode ?? "self")} error={errors.operatorMode}>
            {["self", "assisted", "both"].map((m) => (
              <option key={m} value={m}>
                {t(`admin.machine.operatorMode.${m}`)}
              </option>
            ))}
          </SelectField>
          <SelectField name="allocationMode" label={t("admin.machine.allocationMode")} defaultValue={v("allocationMode", machine?.allocationMode ?? "first_come")} error={errors.allocationMode}>
            {["first_come", "weekly_round"].map((m) => (
              <option key={m} value={m}>
                {t(`admin.machine.allocationMode.${m}`)}
              </option>
            ))}
          </SelectField>
        </div>
      </fieldset>

      <fieldset className="card stack" disabled={!canWrite}>
        <legend>{t("admin.machine.hours")}</legend>
        <CheckField name="customHours" label={t("admin.machine.customHours")} defaultChecked={customHours} hint={t("admin.machine.customHoursHint")} />
        <details open={customHours || !!errors["hours.1"] || Object.keys(errors).some((k) => k.startsWith("hours."))}>
          <summary>{t("admin.machine.hoursEdit")}</summary>
          <AdminHoursEditor legend={t("admin.machine.hours")} value={machine?.hours ?? facilityHours} posted={failure?.values} errors={errors} disabled={!canWrite} />
        </details>
      </fieldset>

      {mode === "create" ? (
        <fieldset className="card stack" disabled={!canWrite}>
          <legend>{t("admin.tariff.title")}</legend>
          <div className="grid-2">
            <Field
              name="hourlyRate"
              label={t("admin.tariff.rate")}
              inputMode="numeric"
              defaultValue={v("hourlyRate", "")}
              placeholder={String(defaults.hourlyRate)}
              error={errors.hourlyRate}
              hint={t("admin.tariff.rateHint", { value: formatRupiah(defaults.hourlyRate) })}
              autoComplete="off"
            />
            <Field name="tariffFrom" label={t("admin.tariff.from")} type="date" defaultValue={v("tariffFrom", today)} error={errors.tariffFrom} />
          </div>
        </fieldset>
      ) : null}

      {canWrite ? (
        <div className="admin-actions sticky">
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? t("common.loading") : mode === "create" ? t("admin.machine.create") : t("common.save")}
          </button>
        </div>
      ) : null}
    </Form>
  );
}
