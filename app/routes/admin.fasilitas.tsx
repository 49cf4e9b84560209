import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { AdminSubnav, type Errors, Field, FormAlert, ReadOnlyNote, SavedNote, SelectField, shownValue } from "~/components/AdminForm";
import { AdminHoursEditor } from "~/components/AdminHoursEditor";
import { formatRupiah } from "~/i18n/format";
import { useT } from "~/i18n/react";
import { loadFacility } from "~/models/scheduling.server";
import { FacilitySchema, TIME_ZONES, facilityFromForm } from "~/schemas/admin";
import { formToObject } from "~/schemas/parse";
import { updateFacility, facilityToInput } from "~/services/admin/facility.server";
import { adminCtx, runForm } from "~/services/admin/forms.server";
import { formFailure } from "~/utils/forms.server";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { can } from "~/utils/permissions";

export const meta: MetaFunction = () => [{ title: "Fasilitas · Giliran" }];
export const links = () => [{ rel: "stylesheet", href: "/css/admin.css" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "admin:read");
  const facility = await loadFacility(db());
  return { facility: facilityToInput(facility), canWrite: can(user, "admin:write") };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, "admin:write");
  const values = formToObject(await request.formData());
  const outcome = await runForm(() => updateFacility(db(), adminCtx(user, context), FacilitySchema.parse(facilityFromForm(values))));
  if (!outcome.ok) return formFailure(outcome, { values: values as Record<string, string | string[]> });
  return redirect("/admin/fasilitas?disimpan=1");
}

type NumberFieldSpec = { name: string; unit: string; mode?: "numeric" | "decimal" };

const GROUPS: Array<{ legend: string; help?: string; fields: NumberFieldSpec[] }> = [
  {
    legend: "admin.facility.rules",
    help: "admin.facility.rulesHelp",
    fields: [
      { name: "slotMinutes", unit: "admin.unit.minutes" },
      { name: "minMinutes", unit: "admin.unit.minutes" },
      { name: "maxMinutes", unit: "admin.unit.minutes" },
      { name: "bufferMinutes", unit: "admin.unit.minutes" },
      { name: "noticeMinutes", unit: "admin.unit.minutes" },
      { name: "horizonDays", unit: "admin.unit.daysPlain" },
      { name: "weeklyQuotaHours", unit: "admin.unit.hoursPlain", mode: "decimal" },
      { name: "maxActiveBookings", unit: "admin.unit.bookingsPlain" },
      { name: "billingIncrementMinutes", unit: "admin.unit.minutes" },
    ],
  },
  {
    legend: "admin.facility.noshow",
    help: "admin.facility.noshowHelp",
    fields: [
      { name: "graceMinutes", unit: "admin.unit.minutes" },
      { name: "noshowCount", unit: "admin.unit.times" },
      { name: "noshowWindowDays", unit: "admin.unit.daysPlain" },
      { name: "restrictDays", unit: "admin.unit.daysPlain" },
    ],
  },
  {
    legend: "admin.facility.waitlist",
    fields: [{ name: "waitlistOfferMinutes", unit: "admin.unit.minutes" }],
  },
];

export default function AdminFacility() {
  const t = useT();
  const { facility: f, canWrite } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const [search] = useSearchParams();
  const nav = useNavigation();
  const errors: Errors = failure?.errors ?? {};
  const v = (name: string, fallback: string | number) => shownValue(failure, name, fallback);
  const current: Record<string, string | number> = { ...f, weeklyQuotaHours: String(f.weeklyQuotaMinutes / 60).replace(".", ",") } as never;
  const busy = nav.state !== "idle" && nav.formMethod === "POST";
  return (
    <>
      <AdminSubnav />
      <h1>{t("admin.facility.title")}</h1>
      <ReadOnlyNote canWrite={canWrite} />
      {search.has("setup") ? (
        <div className="alert alert-info">
          <p className="admin-alert-line">
            <strong>{t("admin.setup.next")}</strong>
          </p>
          <ol className="admin-steps">
            <li>{t("admin.setup.step.hours")}</li>
            <li>
              <Link to="/admin/mesin">{t("admin.setup.step.machines")}</Link>
            </li>
            <li>
              <Link to="/admin/libur">{t("admin.setup.step.closures")}</Link>
            </li>
            <li>
              <Link to="/admin/ikm">{t("admin.setup.step.ikms")}</Link>
            </li>
            <li>
              <Link to="/admin/pengguna">{t("admin.setup.step.users")}</Link>
            </li>
          </ol>
        </div>
      ) : null}
      <SavedNote show={search.has("disimpan") && !failure} />
      <Form method="post" noValidate className="stack admin-form">
        <FormAlert errors={errors} />
        <fieldset className="card stack" disabled={!canWrite}>
          <legend>{t("admin.facility.general")}</legend>
          <div className="grid-2">
            <Field name="name" label={t("admin.facility.name")} defaultValue={v("name", f.name)} error={errors.name} required maxLength={120} />
            <Field
              name="contactPhone"
              label={t("admin.facility.contactPhone")}
              type="tel"
              inputMode="tel"
              autoComplete="off"
              defaultValue={v("contactPhone", f.contactPhone ?? "")}
              error={errors.contactPhone}
              hint={t("admin.facility.contactPhoneHint")}
              maxLength={20}
            />
            <SelectField name="timeZone" label={t("admin.facility.timeZone")} defaultValue={v("timeZone", f.timeZone)} error={errors.timeZone} hint={t("admin.facility.timeZoneHint")}>
              {TIME_ZONES.map((z) => (
                <option key={z} value={z}>
                  {t(`admin.tz.${z}`)}
                </option>
              ))}
            </SelectField>
            <Field
              name="operatorsOnDuty"
              label={t("admin.facility.operators")}
              inputMode="numeric"
              defaultValue={v("operatorsOnDuty", f.operatorsOnDuty)}
              error={errors.operatorsOnDuty}
              hint={t("admin.facility.operatorsHint")}
            />
            <Field name="hourlyRate" label={t("admin.facility.hourlyRate")} inputMode="numeric" defaultValue={v("hourlyRate", formatRupiah(f.hourlyRate).replace("Rp", ""))} error={errors.hourlyRate} hint={t("admin.facility.hourlyRateHint")} />
          </div>
        </fieldset>
        <div className="card">
          <AdminHoursEditor legend={t("admin.facility.hours")} value={f.hours} posted={failure?.values} errors={errors} disabled={!canWrite} />
        </div>
        {GROUPS.map((g) => (
          <fieldset key={g.legend} className="card stack" disabled={!canWrite}>
            <legend>{t(g.legend)}</legend>
            {g.help ? <p className="muted small">{t(g.help)}</p> : null}
            <div className="grid-2">
              {g.fields.map((fs) => (
                <Field
                  key={fs.name}
                  name={fs.name}
                  label={t(`admin.facility.field.${fs.name}`)}
                  inputMode={fs.mode ?? "numeric"}
                  defaultValue={v(fs.name, current[fs.name])}
                  error={errors[fs.name]}
                  hint={t(fs.unit)}
                  autoComplete="off"
                />
              ))}
            </div>
          </fieldset>
        ))}
        <fieldset className="card stack" disabled={!canWrite}>
          <legend>{t("admin.facility.allocation")}</legend>
          <p className="muted small">{t("admin.facility.allocationHelp")}</p>
          <div className="grid-2">
            <SelectField name="allocationCutoffWeekday" label={t("admin.facility.cutoffWeekday")} defaultValue={v("allocationCutoffWeekday", f.allocationCutoffWeekday)} error={errors.allocationCutoffWeekday}>
              {[1, 2, 3, 4, 5, 6, 7].map((d) => (
                <option key={d} value={d}>
                  {t(`admin.weekday.${d}`)}
                </option>
              ))}
            </SelectField>
            <Field name="allocationCutoffTime" label={t("admin.facility.cutoffTime")} type="time" defaultValue={v("allocationCutoffTime", f.allocationCutoffTime)} error={errors.allocationCutoffTime} />
          </div>
        </fieldset>
        {canWrite ? (
          <div className="admin-actions sticky">
            <button type="submit" className="button primary" disabled={busy}>
              {busy ? t("common.loading") : t("common.save")}
            </button>
          </div>
        ) : null}
      </Form>
    </>
  );
}
