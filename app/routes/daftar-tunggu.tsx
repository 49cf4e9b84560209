import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { formatDateShort, formatDayMonth, formatTime, formatTimeRange } from "~/i18n/format";
import { useI18n } from "~/i18n/react";
import { formatDuration } from "~/i18n/violations";
import { listMachines } from "~/models/machine.server";
import { loadFacility } from "~/models/scheduling.server";
import { zonedInstant } from "~/scheduling";
import { Id, LocalDate } from "~/schemas/common";
import { fieldErrors, formToObject } from "~/schemas/parse";
import { WaitlistJoinSchema } from "~/schemas/waitlist";
import { acceptOffer, declineOffer, joinWaitlist, listOwnEntries, rankedWaitlist, withdrawEntry } from "~/services/booking/waitlist.server";
import { requireUser } from "~/utils/auth.server";
import { now } from "~/utils/clock.server";
import { contextOf } from "~/utils/context";
import { db } from "~/utils/db.server";
import { can, isStaff } from "~/utils/permissions";
import { failureOf } from "~/utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Daftar tunggu · Giliran" }];

const TIMES = Array.from({ length: 21 }, (_, i) => `${String(7 + Math.floor(i / 2)).padStart(2, "0")}:${i % 2 ? "30" : "00"}`);
const DURATIONS = Array.from({ length: 16 }, (_, i) => (i + 1) * 30);

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const t = now();
  if (isStaff(user)) {
    const groups = await rankedWaitlist(db(), t);
    return { staff: true as const, groups };
  }
  if (!can(user, "waitlist:join")) throw new Response("Forbidden", { status: 403 });
  const facility = await loadFacility(db());
  const [machines, entries] = await Promise.all([listMachines(db()), listOwnEntries(db(), user.ikmId ?? -1)]);
  // Prefill from a refused booking: ?machine=&start=&end= (ISO instants) or ?machine=&date=&from=&to= (local).
  const url = new URL(request.url);
  const q = (k: string) => url.searchParams.get(k) ?? "";
  const localStart = LocalDate.safeParse(q("date")).success && TIMES.includes(q("from")) ? zonedInstant(q("date"), q("from"), facility.time_zone) : Number.NaN;
  const localEnd = LocalDate.safeParse(q("date")).success && TIMES.includes(q("to")) ? zonedInstant(q("date"), q("to"), facility.time_zone) : Number.NaN;
  const start = Number.isFinite(localStart) ? localStart : Date.parse(q("start"));
  const end = Number.isFinite(localEnd) ? localEnd : Date.parse(q("end"));
  const prefill = {
    machine: /^\d+$/.test(q("machine")) ? q("machine") : "",
    date: Number.isFinite(start) ? localKey(start, facility.time_zone) : "",
    from: Number.isFinite(start) ? localHm(start, facility.time_zone) : "07:30",
    to: Number.isFinite(end) ? localHm(end, facility.time_zone) : "16:00",
    duration: Number.isFinite(start) && Number.isFinite(end) ? Math.min(480, Math.max(30, Math.round((end - start) / 60_000))) : 60,
  };
  return {
    staff: false as const,
    prefill,
    machines: machines.map((m) => ({ id: m.id, code: m.code, name: m.name, typeId: m.type_id, typeName: m.type_name })),
    entries: entries.map((e) => ({
      id: e.id,
      status: e.status,
      machine: e.machine_code ? `${e.machine_code} · ${e.machine_name}` : e.type_name,
      anyOfType: e.machine_id === null,
      earliestStart: Number(e.earliest_start),
      latestEnd: Number(e.latest_end),
      durationMinutes: e.duration_minutes,
      offerStart: e.offer_start === null ? null : Number(e.offer_start),
      offerEnd: e.offer_end === null ? null : Number(e.offer_end),
      offerExpiresAt: e.offer_expires_at === null ? null : Number(e.offer_expires_at),
    })),
  };
}

function localKey(instant: number, tz: string) {
  return new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit" }).format(instant);
}
function localHm(instant: number, tz: string) {
  return new Intl.DateTimeFormat("en-GB", { timeZone: tz, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(instant);
}

const JoinForm = z.object({
  machine: z.string().regex(/^(m|t):\d+$/, "waitlist.error.machine"),
  date: LocalDate,
  from: z.enum(TIMES as [string, ...string[]], { error: "validation.invalid" }),
  to: z.enum(TIMES as [string, ...string[]], { error: "validation.invalid" }),
  duration: z.coerce.number({ error: "validation.number" }),
  purpose: z.string().max(500, "validation.tooLong").default(""),
});

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  if (!can(user, "waitlist:join")) throw new Response("Forbidden", { status: 403 });
  const ctx = { user, now: now(), requestId: contextOf(context).requestId };
  const form = formToObject(await request.formData());
  try {
    switch (form.intent) {
      case "accept":
        await acceptOffer(db(), ctx, Id.parse(form.id));
        return { ok: "waitlist.accepted" };
      case "decline":
        await declineOffer(db(), ctx, Id.parse(form.id));
        return { ok: "waitlist.declined" };
      case "withdraw":
        await withdrawEntry(db(), ctx, Id.parse(form.id));
        return { ok: "waitlist.withdrawn" };
      default: {
        const parsed = JoinForm.safeParse(form);
        if (!parsed.success) return data({ errors: fieldErrors(parsed.error) }, { status: 400 });
        const { time_zone } = await loadFacility(db());
        const [kind, idText] = parsed.data.machine.split(":");
        const join = WaitlistJoinSchema.safeParse({
          ...(kind === "m" ? { machineId: Number(idText) } : { machineTypeId: Number(idText) }),
          earliestStart: new Date(zonedInstant(parsed.data.date, parsed.data.from, time_zone)).toISOString(),
          latestEnd: new Date(zonedInstant(parsed.data.date, parsed.data.to, time_zone)).toISOString(),
          durationMinutes: parsed.data.duration,
          purpose: parsed.data.purpose,
        });
        if (!join.success) {
          const errors = fieldErrors(join.error);
          return data({ errors: { to: errors.latestEnd ?? errors.earliestStart, duration: errors.durationMinutes, machine: errors.machineId, _form: errors._form } }, { status: 400 });
        }
        await joinWaitlist(db(), ctx, join.data);
        return { ok: "waitlist.joined" };
      }
    }
  } catch (error) {
    const failure = failureOf(error);
    const message = error instanceof z.ZodError ? { key: "validation.invalid" } : failure.message;
    return data({ errors: { _form: message.key }, params: message.params ?? {} }, { status: failure.status });
  }
}

export default function Waitlist() {
  const d = useLoaderData<typeof loader>();
  return d.staff ? <StaffRanking groups={d.groups} /> : <IkmWaitlist d={d} />;
}

function StaffRanking({ groups }: { groups: Extract<Awaited<ReturnType<typeof loader>>, { staff: true }>["groups"] }) {
  const { t, lang, timeZone } = useI18n();
  return (
    <>
      <h1>{t("waitlist.ranking")}</h1>
      {groups.length === 0 ? <p className="muted">{t("waitlist.staffEmpty")}</p> : null}
      {groups.map((g) => (
        <section className="card" key={g.typeId}>
          <h2>{g.typeName}</h2>
          <ol className="booking-list">
            {g.entries.map((r) => (
              <li key={r.entry.id}>
                <div>
                  <strong>
                    {r.rank}. {r.entry.ikm_name}
                  </strong>{" "}
                  <span className="muted">{r.entry.machine_code ?? t("waitlist.anyOfType", { type: g.typeName })}</span>
                  <div className="small">
                    {t("waitlist.window", {
                      from: `${formatDayMonth(Number(r.entry.earliest_start), lang, timeZone)} ${formatTime(Number(r.entry.earliest_start), lang, timeZone)}`,
                      to: `${formatDayMonth(Number(r.entry.latest_end), lang, timeZone)} ${formatTime(Number(r.entry.latest_end), lang, timeZone)}`,
                    })}{" "}
                    · {formatDuration(r.entry.duration_minutes, lang)}
                  </div>
                  <div className="small muted">
                    {t(`waitlist.reason.${r.reason.code}`, {
                      used: formatDuration(Math.round(r.reason.recentTypeMinutes), lang),
                      at: `${formatDateShort(r.reason.requestedAt, lang, timeZone)} ${formatTime(r.reason.requestedAt, lang, timeZone)}`,
                    })}
                  </div>
                </div>
                <span className={`status status-${r.entry.status === "offered" ? "pending" : "confirmed"}`}>{t(`waitlist.status.${r.entry.status}`)}</span>
              </li>
            ))}
          </ol>
        </section>
      ))}
    </>
  );
}

function IkmWaitlist({ d }: { d: Extract<Awaited<ReturnType<typeof loader>>, { staff: false }> }) {
  const { t, lang, timeZone } = useI18n();
  const actionData = useActionData<typeof action>();
  const nav = useNavigation();
  const busy = nav.state !== "idle";
  const errors: Record<string, string | undefined> = actionData && "errors" in actionData ? actionData.errors : {};
  const params = actionData && "params" in actionData ? (actionData.params as Record<string, string | number>) : undefined;
  const types = [...new Map(d.machines.map((m) => [m.typeId, m.typeName])).entries()];
  return (
    <>
      <h1>{t("waitlist.title")}</h1>
      {actionData && "ok" in actionData ? (
        <p className="alert alert-ok" role="status">
          {t(actionData.ok)}
        </p>
      ) : null}
      {errors._form ? (
        <p className="alert alert-error" role="alert">
          {t(errors._form, params)}
        </p>
      ) : null}
      <section className="card">
        <h2>{t("waitlist.mine")}</h2>
        {d.entries.length === 0 ? <p className="muted">{t("waitlist.none")}</p> : null}
        <ul className="booking-list">
          {d.entries.map((e) => (
            <li key={e.id}>
              <div>
                <strong>{e.anyOfType ? t("waitlist.anyOfType", { type: e.machine }) : e.machine}</strong>
                <div className="small">
                  {t("waitlist.window", {
                    from: `${formatDayMonth(e.earliestStart, lang, timeZone)} ${formatTime(e.earliestStart, lang, timeZone)}`,
                    to: `${formatDayMonth(e.latestEnd, lang, timeZone)} ${formatTime(e.latestEnd, lang, timeZone)}`,
                  })}{" "}
                  · {formatDuration(e.durationMinutes, lang)}
                </div>
                {e.status === "offered" && e.offerStart !== null && e.offerEnd !== null && e.offerExpiresAt !== null ? (
                  <div className="alert alert-info small">
                    {t("waitlist.offer", {
                      machine: e.machine,
                      when: `${formatDayMonth(e.offerStart, lang, timeZone)}, ${formatTimeRange(e.offerStart, e.offerEnd, lang, timeZone)}`,
                      deadline: `${formatDayMonth(e.offerExpiresAt, lang, timeZone)} ${formatTime(e.offerExpiresAt, lang, timeZone)}`,
                    })}
                    <div className="row">
                      <Form method="post">
                        <input type="hidden" name="id" value={e.id} />
                        <button type="submit" className="button primary small" name="intent" value="accept" disabled={busy}>
                          {t("waitlist.accept")}
                        </button>
                      </Form>
                      <Form method="post">
                        <input type="hidden" name="id" value={e.id} />
                        <button type="submit" className="button small" name="intent" value="decline" disabled={busy}>
                          {t("waitlist.decline")}
                        </button>
                      </Form>
                    </div>
                  </div>
                ) : null}
                {e.status === "waiting" ? (
                  <Form method="post">
                    <input type="hidden" name="id" value={e.id} />
                    <button type="submit" className="button small danger" name="intent" value="withdraw" disabled={busy}>
                      {t("waitlist.withdraw")}
                    </button>
                  </Form>
                ) : null}
              </div>
              <span className={`status status-${e.status === "offered" ? "pending" : e.status === "waiting" ? "confirmed" : "cancelled"}`}>{t(`waitlist.status.${e.status}`)}</span>
            </li>
          ))}
        </ul>
      </section>
      <section className="card">
        <h2>{t("waitlist.join")}</h2>
        <p className="muted small">{t("waitlist.intro")}</p>
        <Form method="post" className="stack">
          <label className="field">
            <span>{t("waitlist.machine")}</span>
            <select name="machine" defaultValue={d.prefill.machine ? `m:${d.prefill.machine}` : ""} aria-invalid={errors.machine ? true : undefined} required>
              <option value="" disabled>
                —
              </option>
              {types.map(([typeId, typeName]) => (
                <optgroup key={typeId} label={typeName}>
                  <option value={`t:${typeId}`}>{t("waitlist.anyOfType", { type: typeName })}</option>
                  {d.machines
                    .filter((m) => m.typeId === typeId)
                    .map((m) => (
                      <option key={m.id} value={`m:${m.id}`}>
                        {m.code} · {m.name}
                      </option>
                    ))}
                </optgroup>
              ))}
            </select>
            {errors.machine ? <small className="field-error">{t(errors.machine)}</small> : null}
          </label>
          <label className="field">
            <span>{t("waitlist.date")}</span>
            <input type="date" name="date" defaultValue={d.prefill.date} required aria-invalid={errors.date ? true : undefined} />
            {errors.date ? <small className="field-error">{t(errors.date)}</small> : null}
          </label>
          <div className="grid-2">
            <label className="field">
              <span>{t("waitlist.from")}</span>
              <select name="from" defaultValue={d.prefill.from}>
                {TIMES.map((x) => (
                  <option key={x} value={x}>
                    {lang === "id" ? x.replace(":", ".") : x}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>{t("waitlist.to")}</span>
              <select name="to" defaultValue={d.prefill.to} aria-invalid={errors.to ? true : undefined}>
                {TIMES.map((x) => (
                  <option key={x} value={x}>
                    {lang === "id" ? x.replace(":", ".") : x}
                  </option>
                ))}
              </select>
              {errors.to ? <small className="field-error">{t(errors.to)}</small> : null}
            </label>
          </div>
          <label className="field">
            <span>{t("waitlist.duration")}</span>
            <select name="duration" defaultValue={String(d.prefill.duration)} aria-invalid={errors.duration ? true : undefined}>
              {DURATIONS.map((m) => (
                <option key={m} value={m}>
                  {formatDuration(m, lang)}
                </option>
              ))}
            </select>
            {errors.duration ? <small className="field-error">{t(errors.duration)}</small> : null}
          </label>
          <label className="field">
            <span>{t("waitlist.purpose")}</span>
            <textarea name="purpose" maxLength={500} />
          </label>
          <button type="submit" className="button primary" name="intent" value="join" disabled={busy}>
            {busy ? t("common.loading") : t("waitlist.join")}
          </button>
        </Form>
      </section>
    </>
  );
}
