import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { FloorAffected } from "~/components/FloorAffected";
import { FloorField, errorProps } from "~/components/FloorField";
import { FloorNav } from "~/components/FloorNav";
import { FloorWindowLine } from "~/components/FloorWindowLine";
import { useI18n } from "~/i18n/react";
import { DAY_MS, HOUR_MS, ceilToSlot, localDateKey } from "~/scheduling";
import { bookingsInWindow, floorMachines, maintenanceAround } from "~/models/floor.server";
import { loadFacility } from "~/models/scheduling.server";
import { Id } from "~/schemas/common";
import { MaintenancePlanForm } from "~/schemas/floor";
import { formToObject } from "~/schemas/parse";
import { inputTime } from "~/services/floor/common.server";
import { affectedView, formValues, localDateTime, parseChoices } from "~/services/floor/forms.server";
import { type FormErrors, flatFormErrors } from "~/utils/form-errors";
import { failureOf, formFailure } from "~/utils/forms.server";
import { type PlanInput, previewMaintenance } from "~/services/floor/maintenance-plan.server";
import { endMaintenance, planMaintenance } from "~/services/floor/maintenance-windows.server";
import { requirePermission } from "~/utils/auth.server";
import { now } from "~/utils/clock.server";
import { contextOf } from "~/utils/context";
import { db } from "~/utils/db.server";

export const meta: MetaFunction = () => [{ title: "Perawatan · Giliran" }];
export const links = () => [{ rel: "stylesheet", href: "/css/floor.css" }];

const RECENT_DAYS = 14;

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "maintenance:manage");
  const t = now();
  const facility = await loadFacility(db());
  const tz = facility.time_zone;
  const [windows, machines] = await Promise.all([maintenanceAround(db(), { start: t - RECENT_DAYS * DAY_MS, end: t + 365 * DAY_MS }), floorMachines(db())]);
  const active = windows.filter((w) => w.end_at === null || Number(w.end_at) > t);
  const pendingCounts = await Promise.all(
    active.map(async (w) => (await bookingsInWindow(db(), w.machine_id, { start: Math.max(t, Number(w.start_at)), end: w.end_at === null ? null : Number(w.end_at) }, ["pending", "confirmed"])).length),
  );
  const view = (w: (typeof windows)[number], i?: number) => ({
    id: w.id,
    machineCode: w.machine_code,
    machineName: w.machine_name,
    kind: w.kind,
    start: Number(w.start_at),
    end: w.end_at === null ? null : Number(w.end_at),
    reason: w.reason,
    started: Number(w.start_at) <= t,
    unresolved: i === undefined ? 0 : pendingCounts[i],
  });
  const start = ceilToSlot(t, 30, tz);
  const local = (ms: number) => `${localDateKey(ms, tz)}T${inputTime(ms, tz)}`;
  const url = new URL(request.url);
  return {
    now: t,
    ok: url.searchParams.get("ok"),
    active: active.map((w, i) => view(w, i)),
    recent: windows.filter((w) => w.end_at !== null && Number(w.end_at) <= t).map((w) => view(w)).reverse(),
    machines: machines.map((m) => ({ id: m.id, code: m.code, name: m.name })),
    defaults: { start: local(start), end: local(start + 2 * HOUR_MS), now: local(Math.floor(t / 60_000) * 60_000) },
  };
}

async function planFrom(form: FormData): Promise<PlanInput> {
  const input = MaintenancePlanForm.parse(formToObject(form));
  const { time_zone: tz } = await loadFacility(db());
  return {
    machineId: input.machineId,
    kind: input.kind,
    start: localDateTime(input.start, tz),
    end: input.kind === "breakdown" || !input.end ? null : localDateTime(input.end, tz),
    reason: input.reason,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, "maintenance:manage");
  const ctx = { user, now: now(), requestId: contextOf(context).requestId };
  const form = await request.formData();
  const intent = form.get("intent");
  const values = formValues(form);
  try {
    if (intent === "preview") {
      const plan = await planFrom(form);
      const affected = await previewMaintenance(db(), ctx, plan);
      return data({ preview: { plan, affected: affected.map(affectedView) }, values, errors: {} as FormErrors });
    }
    if (intent === "confirm") {
      const plan = await planFrom(form);
      const { window } = await planMaintenance(db(), ctx, plan, parseChoices(form));
      return redirect(`/teknisi/perawatan/${window.id}?ok=created`);
    }
    if (intent === "end") {
      const id = Id.parse(form.get("windowId"));
      await endMaintenance(db(), ctx, id);
      return redirect("/teknisi/perawatan?ok=ended");
    }
  } catch (error) {
    return formFailure(failureOf(error), { values, preview: null });
  }
  throw new Response("Bad request", { status: 400 });
}

export default function Maintenance() {
  const { t } = useI18n();
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const nav = useNavigation();
  const busy = nav.state !== "idle";
  const { errors, params } = flatFormErrors(a?.errors);
  const values = (a?.values ?? {}) as Record<string, string>;
  const preview = a && "preview" in a ? a.preview : null;
  const [kind, setKind] = useState(values.kind ?? "planned");
  const planFields = ["machineId", "kind", "start", "end", "reason"];
  return (
    <div className="floor">
      <FloorNav />
      <h1>{t("floor.maintenance.title")}</h1>
      {d.ok ? (
        <p className="alert alert-ok" role="status">
          {t(`floor.maintenance.ok.${d.ok === "ended" ? "ended" : "created"}`)}
        </p>
      ) : null}
      {errors._form ? (
        <p className="alert alert-error" role="alert">
          {t(errors._form, params)}
        </p>
      ) : null}

      {preview ? (
        <section className="card floor-preview" aria-labelledby="preview-h">
          <h2 id="preview-h">{t("floor.maintenance.previewTitle")}</h2>
          <FloorWindowLine
            w={{
              id: 0,
              machineCode: d.machines.find((m) => m.id === preview.plan.machineId)?.code ?? "",
              kind: preview.plan.kind,
              start: preview.plan.start,
              end: preview.plan.end,
              reason: preview.plan.reason,
              unresolved: 0,
            }}
          />
          <p>{preview.affected.length ? t("floor.maintenance.previewAffected", { n: preview.affected.length }) : t("floor.maintenance.previewNone")}</p>
          <Form method="post" className="stack">
            {planFields.map((f) => (
              <input key={f} type="hidden" name={f} value={values[f] ?? ""} />
            ))}
            {preview.plan.kind === "breakdown" && preview.affected.length ? <p className="muted small">{t("floor.maintenance.keepHint")}</p> : null}
            <FloorAffected items={preview.affected} choose allowKeep={preview.plan.kind === "breakdown"} keepAfter={d.now + 24 * 60 * 60 * 1000} />
            <button type="submit" name="intent" value="confirm" className="button primary block floor-big" disabled={busy}>
              {preview.affected.some((x) => x.movable) ? t("floor.maintenance.confirmMoves") : t("floor.maintenance.confirm")}
            </button>
          </Form>
        </section>
      ) : null}

      <section className="card" aria-labelledby="active-h">
        <h2 id="active-h">{t("floor.maintenance.active")}</h2>
        {d.active.length ? (
          <ul className="floor-windows">
            {d.active.map((w) => (
              <li key={w.id}>
                <FloorWindowLine w={w} />
                <div className="floor-actions">
                  <Link className="button floor-mid" to={`/teknisi/perawatan/${w.id}`}>
                    {t("common.details")}
                  </Link>
                  <Form method="post">
                    <input type="hidden" name="intent" value="end" />
                    <input type="hidden" name="windowId" value={w.id} />
                    <button type="submit" className="button floor-mid" disabled={busy}>
                      {w.kind === "breakdown" ? t("floor.maintenance.repaired") : w.started ? t("floor.maintenance.endNow") : t("floor.maintenance.callOff")}
                    </button>
                  </Form>
                </div>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{t("floor.maintenance.noneActive")}</p>
        )}
      </section>

      <section className="card" aria-labelledby="plan-h" id="rencana">
        <h2 id="plan-h">{t("floor.maintenance.planTitle")}</h2>
        <Form method="post" className="stack" noValidate>
          <fieldset className="floor-segment">
            <legend>{t("floor.maintenance.kindLabel")}</legend>
            <label>
              <input type="radio" name="kind" value="planned" checked={kind === "planned"} onChange={() => setKind("planned")} />
              <span>{t("floor.maintenance.kind.planned")}</span>
            </label>
            <label>
              <input type="radio" name="kind" value="breakdown" checked={kind === "breakdown"} onChange={() => setKind("breakdown")} />
              <span>{t("floor.maintenance.kind.breakdown")}</span>
            </label>
          </fieldset>
          <FloorField label={t("booking.machine")} name="machineId" error={errors.machineId}>
            <select name="machineId" defaultValue={values.machineId ?? ""} required {...errorProps("machineId", errors)}>
              <option value="">{t("floor.choose")}</option>
              {d.machines.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.code} · {m.name}
                </option>
              ))}
            </select>
          </FloorField>
          <div className="grid-2">
            <FloorField label={t("floor.maintenance.start")} name="start" error={errors.start} hint={t("floor.maintenance.startHint")}>
              <input type="datetime-local" name="start" defaultValue={values.start ?? (kind === "breakdown" ? d.defaults.now : d.defaults.start)} required {...errorProps("start", errors)} />
            </FloorField>
            {kind === "planned" ? (
              <FloorField label={t("floor.maintenance.end")} name="end" error={errors.end} params={params} hint={t("floor.maintenance.endHint")}>
                <input type="datetime-local" name="end" defaultValue={values.end ?? d.defaults.end} {...errorProps("end", errors)} />
              </FloorField>
            ) : (
              <p className="muted small">{t("floor.maintenance.breakdownHint")}</p>
            )}
          </div>
          <FloorField label={t("floor.maintenance.reason")} name="reason" error={errors.reason}>
            <textarea name="reason" rows={2} maxLength={500} defaultValue={values.reason ?? ""} required {...errorProps("reason", errors)} />
          </FloorField>
          <button type="submit" name="intent" value="preview" className="button primary block floor-big" disabled={busy}>
            {t("floor.maintenance.check")}
          </button>
        </Form>
      </section>

      {d.recent.length ? (
        <section className="card" aria-labelledby="recent-h">
          <h2 id="recent-h">{t("floor.maintenance.recent")}</h2>
          <ul className="floor-windows floor-windows-past">
            {d.recent.map((w) => (
              <li key={w.id}>
                <FloorWindowLine w={w} />
                <Link to={`/teknisi/perawatan/${w.id}`}>{t("common.details")}</Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
