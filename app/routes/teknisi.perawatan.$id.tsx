import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FloorAffected } from "~/components/FloorAffected";
import { FloorNav } from "~/components/FloorNav";
import { FloorWindowLine } from "~/components/FloorWindowLine";
import { formatDateShort, formatTimeRange } from "~/i18n/format";
import { useI18n } from "~/i18n/react";
import { loadFacility } from "~/models/scheduling.server";
import { Id } from "~/schemas/common";
import { waLink } from "~/services/contact.server";
import { waResolutionText } from "~/services/floor/day-board.server";
import { affectedView, parseChoices } from "~/services/floor/forms.server";
import { failureOf, formFailure } from "~/utils/forms.server";
import { resolutionHistory, windowProposals } from "~/services/floor/maintenance-plan.server";
import { endMaintenance, getMaintenanceWindow, resolveMaintenance } from "~/services/floor/maintenance-windows.server";
import { requirePermission } from "~/utils/auth.server";
import { now } from "~/utils/clock.server";
import { contextOf } from "~/utils/context";
import { db } from "~/utils/db.server";

/** For an open breakdown, bookings more than a day away are kept by default (the repair may be done by then). */
const KEEP_AFTER_MS = 24 * 60 * 60 * 1000;

export const meta: MetaFunction = () => [{ title: "Perawatan · Giliran" }];
export const links = () => [{ rel: "stylesheet", href: "/css/floor.css" }];

function parseId(raw: string | undefined): number {
  const r = Id.safeParse(raw);
  if (!r.success) throw new Response("Not found", { status: 404 });
  return r.data;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "maintenance:manage");
  const id = parseId(params.id);
  const t = now();
  const w = await getMaintenanceWindow(db(), id);
  if (!w) throw new Response("Not found", { status: 404 });
  const facility = await loadFacility(db());
  const [affected, history] = await Promise.all([windowProposals(db(), { user, now: t }, w), resolutionHistory(db(), id)]);
  const end = w.end_at === null ? null : Number(w.end_at);
  return {
    now: t,
    ok: new URL(request.url).searchParams.get("ok"),
    window: {
      id: w.id,
      machineCode: w.machine_code,
      machineName: w.machine_name,
      kind: w.kind,
      start: Number(w.start_at),
      end,
      reason: w.reason,
      createdBy: w.created_by_name,
      active: end === null || end > t,
      started: Number(w.start_at) <= t,
      unresolved: affected.filter((a) => a.movable).length,
    },
    affected: affected.map(affectedView),
    history: history.map((h) => ({
      bookingId: h.bookingId,
      ikmName: h.ikmName,
      action: h.action,
      from: h.from ?? null,
      to: h.to ? { machineCode: h.to.machineCode, start: h.to.start, end: h.to.end } : null,
      wa: waLink(h.phone, waResolutionText(h, w.reason, facility.name, facility.time_zone)),
    })),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, "maintenance:manage");
  const id = parseId(params.id);
  const ctx = { user, now: now(), requestId: contextOf(context).requestId };
  const form = await request.formData();
  const intent = form.get("intent");
  try {
    if (intent === "resolve") {
      await resolveMaintenance(db(), ctx, id, parseChoices(form));
      return redirect(`/teknisi/perawatan/${id}?ok=resolved`);
    }
    if (intent === "end") {
      const { window } = await endMaintenance(db(), ctx, id);
      return redirect(window ? `/teknisi/perawatan/${id}?ok=ended` : "/teknisi/perawatan?ok=ended");
    }
  } catch (error) {
    return formFailure(failureOf(error));
  }
  throw new Response("Bad request", { status: 400 });
}

export default function MaintenanceWindowPage() {
  const { t, lang, timeZone } = useI18n();
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const nav = useNavigation();
  const busy = nav.state !== "idle";
  const w = d.window;
  const when = (x: { start: number; end: number }) => `${formatDateShort(x.start, lang, timeZone)} ${formatTimeRange(x.start, x.end, lang, timeZone)}`;
  const formError = a?.errors?._form;
  return (
    <div className="floor">
      <FloorNav />
      <p className="floor-back">
        <Link to="/teknisi/perawatan">← {t("floor.maintenance.title")}</Link>
      </p>
      <section className="card floor-head">
        <h1>
          {w.kind === "breakdown" ? "⚠ " : "⚙ "}
          {t(`floor.maintenance.kind.${w.kind}`)} · {w.machineCode}
        </h1>
        <p className="muted">{w.machineName}</p>
        <FloorWindowLine w={{ ...w, unresolved: 0 }} />
        <p className="muted small">{t("floor.maintenance.createdBy", { name: w.createdBy })}</p>
        {w.active ? (
          <Form method="post">
            <input type="hidden" name="intent" value="end" />
            <button type="submit" className="button block floor-mid" disabled={busy}>
              {w.kind === "breakdown" ? t("floor.maintenance.repaired") : w.started ? t("floor.maintenance.endNow") : t("floor.maintenance.callOff")}
            </button>
          </Form>
        ) : (
          <p className="alert alert-ok">{t("floor.maintenance.ended")}</p>
        )}
      </section>
      {d.ok ? (
        <p className="alert alert-ok" role="status">
          {t(`floor.maintenance.ok.${d.ok === "resolved" ? "resolved" : d.ok === "ended" ? "ended" : "created"}`)}
        </p>
      ) : null}
      {formError ? (
        <p className="alert alert-error" role="alert">
          {t(formError.key, formError.params ?? {})}
        </p>
      ) : null}

      {w.active ? (
        <section className="card" aria-labelledby="affected-h">
          <h2 id="affected-h">{t("floor.maintenance.affectedTitle")}</h2>
          {d.affected.length ? (
            <Form method="post" className="stack">
              <p>{t("floor.maintenance.previewAffected", { n: d.affected.length })}</p>
              {w.kind === "breakdown" ? <p className="muted small">{t("floor.maintenance.keepHint")}</p> : null}
              <FloorAffected items={d.affected} choose allowKeep={w.kind === "breakdown"} keepAfter={d.now + KEEP_AFTER_MS} />
              {w.unresolved ? (
                <button type="submit" name="intent" value="resolve" className="button primary block floor-big" disabled={busy}>
                  {t("floor.maintenance.apply")}
                </button>
              ) : null}
            </Form>
          ) : (
            <p className="muted">{t("floor.maintenance.allResolved")}</p>
          )}
        </section>
      ) : null}

      {d.history.length ? (
        <section className="card" aria-labelledby="done-h">
          <h2 id="done-h">{t("floor.maintenance.doneTitle")}</h2>
          <ul className="floor-affected">
            {d.history.map((h) => (
              <li key={`${h.bookingId}-${h.action}`}>
                <p className="floor-affected-head">
                  <strong>{h.ikmName}</strong>
                  <span className={`floor-badge floor-badge-${h.action === "moved" ? "done" : "noShow"}`}>{t(`floor.maintenance.result.${h.action}`)}</span>
                </p>
                {h.from ? (
                  <p>
                    {h.action === "moved" && h.to
                      ? t("floor.maintenance.movedLine", { from: `${h.from.machineCode} · ${when(h.from)}`, to: `${h.to.machineCode} · ${when(h.to)}` })
                      : t("floor.maintenance.cancelledLine", { from: `${h.from.machineCode} · ${when(h.from)}` })}
                  </p>
                ) : null}
                <p className="small muted">{t("floor.maintenance.notified")}</p>
                {h.wa ? (
                  <a className="button small floor-wa" href={h.wa} target="_blank" rel="noopener noreferrer">
                    ✉ {t("floor.contact.whatsapp")}
                  </a>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
