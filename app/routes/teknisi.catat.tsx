import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { FloorField, errorProps } from "~/components/FloorField";
import { FloorNav } from "~/components/FloorNav";
import { formatTime } from "~/i18n/format";
import { useI18n } from "~/i18n/react";
import { formatDuration } from "~/i18n/violations";
import { DAY_MS, MINUTE_MS, floorToSlot, localDateKey } from "~/scheduling";
import { activeIkms, floorMachines } from "~/models/floor.server";
import { loadFacility } from "~/models/scheduling.server";
import { BackfillForm, OUTPUT_UNITS, WalkInForm } from "~/schemas/floor";
import { formToObject } from "~/schemas/parse";
import { UNIT_OPERATOR_NAME } from "~/services/floor/common.server";
import { recordBackfill, recordWalkIn } from "~/services/floor/logbook.server";
import { formValues, localInstant, refusalView } from "~/services/floor/forms.server";
import { type FormErrors, flatFormErrors } from "~/utils/form-errors";
import { failureOf, formFailure } from "~/utils/forms.server";
import { requirePermission } from "~/utils/auth.server";
import { now } from "~/utils/clock.server";
import { contextOf } from "~/utils/context";
import { db } from "~/utils/db.server";

export const meta: MetaFunction = () => [{ title: "Catat pemakaian · Giliran" }];
export const links = () => [{ rel: "stylesheet", href: "/css/floor.css" }];

const DURATIONS = [30, 60, 90, 120, 150, 180, 240, 300, 360, 420, 480];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "floor:operate");
  const t = now();
  const facility = await loadFacility(db());
  const [machines, ikms] = await Promise.all([floorMachines(db()), activeIkms(db())]);
  const walkInStart = floorToSlot(t, facility.slot_minutes, facility.time_zone);
  return {
    machines: machines.filter((m) => m.status === "active").map((m) => ({ id: m.id, code: m.code, name: m.name, mode: m.operator_mode })),
    ikms: ikms.map((i) => ({ id: i.id, name: i.name })),
    today: localDateKey(t, facility.time_zone),
    minDate: localDateKey(t - 365 * DAY_MS, facility.time_zone),
    walkInStart,
    unitOperator: UNIT_OPERATOR_NAME,
    tab: new URL(request.url).searchParams.get("jenis") === "datang" ? "walkin" : "logbook",
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, "floor:operate");
  const ctx = { user, now: now(), requestId: contextOf(context).requestId };
  const form = await request.formData();
  const intent = form.get("intent");
  const values = formValues(form);
  const extra = { intent: String(intent), values, refusal: null as ReturnType<typeof refusalView> | null };
  const { time_zone: tz } = await loadFacility(db());
  try {
    if (intent === "backfill") {
      const input = BackfillForm.parse(formToObject(form));
      const actualStart = localInstant(input.date, input.start, tz);
      const outcome = await recordBackfill(db(), ctx, {
        machineId: input.machineId,
        ikmId: input.ikmId,
        actualStart,
        actualEnd: localInstant(input.date, input.end, tz),
        purpose: input.purpose,
        assisted: input.assisted,
        operatorKind: input.operatorKind,
        operatorName: input.operatorName,
        outputQuantity: input.outputQuantity ?? null,
        outputUnit: input.outputUnit ?? null,
        consumables: input.consumables,
        condition: input.condition,
        notes: input.notes,
        overrideReason: input.overrideReason,
      });
      if (!outcome.ok) {
        return data({ ...extra, errors: {} as FormErrors, refusal: refusalView(outcome.violations, outcome.alternatives, user.language, tz, actualStart) }, { status: 409 });
      }
      return redirect(`/teknisi/pemesanan/${outcome.booking.id}?ok=backfill`);
    }
    if (intent === "walkin") {
      const input = WalkInForm.parse(formToObject(form));
      const outcome = await recordWalkIn(db(), ctx, input);
      if (!outcome.ok) {
        return data({ ...extra, errors: {} as FormErrors, refusal: refusalView(outcome.violations, outcome.alternatives, user.language, tz, ctx.now) }, { status: 409 });
      }
      return redirect(`/teknisi/pemesanan/${outcome.booking.id}?ok=walkin#selesai`);
    }
  } catch (error) {
    return formFailure(failureOf(error), extra);
  }
  throw new Response("Bad request", { status: 400 });
}

export default function RecordUsage() {
  const { t, lang, timeZone } = useI18n();
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const nav = useNavigation();
  const [search] = useSearchParams();
  const busy = nav.state !== "idle";
  const tab = a?.intent === "walkin" ? "walkin" : a?.intent === "backfill" ? "logbook" : search.get("jenis") === "datang" ? "walkin" : d.tab;
  const { errors, params } = flatFormErrors(a?.errors);
  const values = (a?.values ?? {}) as Record<string, string>;
  const v = (name: string, fallback = "") => values[name] ?? fallback;
  const refusal = a?.refusal ?? null;

  const common = (
    <>
      <FloorField label={t("booking.machine")} name="machineId" error={errors.machineId}>
        <select name="machineId" defaultValue={v("machineId")} required {...errorProps("machineId", errors)}>
          <option value="">{t("floor.choose")}</option>
          {d.machines.map((m) => (
            <option key={m.id} value={m.id}>
              {m.code} · {m.name}
            </option>
          ))}
        </select>
      </FloorField>
      <FloorField label={t("booking.ikm")} name="ikmId" error={errors.ikmId}>
        <select name="ikmId" defaultValue={v("ikmId")} required {...errorProps("ikmId", errors)}>
          <option value="">{t("floor.choose")}</option>
          {d.ikms.map((i) => (
            <option key={i.id} value={i.id}>
              {i.name}
            </option>
          ))}
        </select>
      </FloorField>
      <FloorField label={t("booking.purpose")} name="purpose">
        <input name="purpose" defaultValue={v("purpose")} maxLength={500} autoComplete="off" />
      </FloorField>
      <label className="checkbox">
        <input type="checkbox" name="assisted" value="1" defaultChecked={v("assisted") === "1"} />
        <span>{t("floor.record.assisted")}</span>
      </label>
      <fieldset className="floor-segment">
        <legend>{t("floor.checkin.operator")}</legend>
        <label>
          <input type="radio" name="operatorKind" value="ikm" defaultChecked={v("operatorKind", "ikm") === "ikm"} />
          <span>{t("floor.operator.ikm")}</span>
        </label>
        <label>
          <input type="radio" name="operatorKind" value="unit" defaultChecked={v("operatorKind") === "unit"} />
          <span>{t("floor.operator.unit")}</span>
        </label>
      </fieldset>
      <FloorField label={t("floor.checkin.operatorName")} name="operatorName" error={errors.operatorName} hint={t("floor.record.operatorHint", { unit: d.unitOperator })}>
        <input name="operatorName" defaultValue={v("operatorName")} maxLength={120} autoComplete="off" required {...errorProps("operatorName", errors)} />
      </FloorField>
    </>
  );

  return (
    <div className="floor">
      <FloorNav />
      <h1>{t("floor.record.title")}</h1>
      <nav className="floor-tabs" aria-label={t("floor.record.tabs")}>
        <a href="?jenis=logbook" aria-current={tab === "logbook" ? "page" : undefined}>
          {t("floor.record.tabLogbook")}
        </a>
        <a href="?jenis=datang" aria-current={tab === "walkin" ? "page" : undefined}>
          {t("floor.record.tabWalkIn")}
        </a>
      </nav>
      {errors._form ? (
        <p className="alert alert-error" role="alert">
          {t(errors._form, params)}
        </p>
      ) : null}
      {refusal ? (
        <section className="alert alert-error" role="alert">
          <p>
            <strong>{refusal.title}</strong>
          </p>
          <ul>
            {refusal.messages.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
          {refusal.alternatives.length ? (
            <>
              <p>{t("floor.refused.alternatives")}</p>
              <ul>
                {refusal.alternatives.map((x) => (
                  <li key={`${x.machineId}-${x.start}`}>{x.label}</li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      ) : null}

      {tab === "logbook" ? (
        <section className="card" aria-labelledby="logbook-h">
          <h2 id="logbook-h">{t("floor.record.logbookTitle")}</h2>
          <p className="muted">{t("floor.record.logbookIntro")}</p>
          <Form method="post" className="stack" noValidate>
            <input type="hidden" name="intent" value="backfill" />
            {common}
            <FloorField label={t("floor.record.date")} name="date" error={errors.date}>
              <input type="date" name="date" defaultValue={v("date", d.today)} min={d.minDate} max={d.today} required {...errorProps("date", errors)} />
            </FloorField>
            <div className="grid-2 floor-times">
              <FloorField label={t("floor.record.start")} name="start" error={errors.start}>
                <input type="time" name="start" defaultValue={v("start")} required {...errorProps("start", errors)} />
              </FloorField>
              <FloorField label={t("floor.record.end")} name="end" error={errors.end} params={params}>
                <input type="time" name="end" defaultValue={v("end")} required {...errorProps("end", errors)} />
              </FloorField>
            </div>
            <div className="floor-output">
              <FloorField label={t("floor.checkout.output")} name="outputQuantity" error={errors.outputQuantity}>
                <input name="outputQuantity" inputMode="decimal" autoComplete="off" defaultValue={v("outputQuantity")} {...errorProps("outputQuantity", errors)} />
              </FloorField>
              <fieldset className="floor-segment">
                <legend>{t("floor.checkout.unit")}</legend>
                {OUTPUT_UNITS.map((u) => (
                  <label key={u}>
                    <input type="radio" name="outputUnit" value={u} defaultChecked={v("outputUnit", "pcs") === u} />
                    <span>{u}</span>
                  </label>
                ))}
                {errors.outputUnit ? (
                  <small className="field-error" role="alert">
                    {t(errors.outputUnit)}
                  </small>
                ) : null}
              </fieldset>
            </div>
            <FloorField label={t("floor.checkout.consumables")} name="consumables">
              <input name="consumables" defaultValue={v("consumables")} maxLength={500} autoComplete="off" />
            </FloorField>
            <fieldset className="floor-segment floor-condition">
              <legend>{t("floor.checkout.condition")}</legend>
              <label>
                <input type="radio" name="condition" value="ok" defaultChecked={v("condition", "ok") !== "fault"} />
                <span>✓ {t("floor.condition.ok")}</span>
              </label>
              <label className="floor-condition-fault">
                <input type="radio" name="condition" value="fault" defaultChecked={v("condition") === "fault"} />
                <span>⚠ {t("floor.condition.fault")}</span>
              </label>
            </fieldset>
            <FloorField label={t("floor.checkout.notes")} name="notes">
              <textarea name="notes" defaultValue={v("notes")} maxLength={1000} rows={2} />
            </FloorField>
            <p className="muted small">{t("floor.record.logbookNote")}</p>
            <button type="submit" className="button primary block floor-big" disabled={busy}>
              {t("floor.record.saveLogbook")}
            </button>
          </Form>
        </section>
      ) : (
        <section className="card" aria-labelledby="walkin-h">
          <h2 id="walkin-h">{t("floor.record.walkInTitle")}</h2>
          <p className="muted">{t("floor.record.walkInIntro", { time: formatTime(d.walkInStart, lang, timeZone) })}</p>
          <Form method="post" className="stack" noValidate>
            <input type="hidden" name="intent" value="walkin" />
            {common}
            <FloorField label={t("floor.record.duration")} name="minutes" error={errors.minutes}>
              <select name="minutes" defaultValue={v("minutes", "60")} {...errorProps("minutes", errors)}>
                {DURATIONS.map((m) => (
                  <option key={m} value={m}>
                    {t("floor.record.durationOption", { duration: formatDuration(m, lang), end: formatTime(d.walkInStart + m * MINUTE_MS, lang, timeZone) })}
                  </option>
                ))}
              </select>
            </FloorField>
            <FloorField label={t("floor.record.override")} name="overrideReason" hint={t("floor.record.overrideHint")}>
              <input name="overrideReason" defaultValue={v("overrideReason")} maxLength={500} autoComplete="off" />
            </FloorField>
            <button type="submit" className="button primary block floor-big" disabled={busy}>
              ▶ {t("floor.record.saveWalkIn")}
            </button>
          </Form>
        </section>
      )}
    </div>
  );
}
