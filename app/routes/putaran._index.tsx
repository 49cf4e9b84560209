import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { type ActionView, BookOutcome, MyRequests, RoundHeader, RoundRequestForm } from "~/components/RoundParts";
import { formatDateLong, formatHours } from "~/i18n/format";
import { useI18n } from "~/i18n/react";
import { roundPageAction } from "~/services/rounds/page-actions.server";
import type { FormOptionsView } from "~/views/rounds";
import { listRounds, roundFormOptions } from "~/services/rounds/views.server";
import { forbidden, requireUser } from "~/utils/auth.server";
import { now } from "~/utils/clock.server";
import { contextOf } from "~/utils/context";
import { db } from "~/utils/db.server";
import { can, isStaff } from "~/utils/permissions";

export const meta: MetaFunction = () => [{ title: "Putaran alokasi · Giliran" }];
export const links = () => [{ rel: "stylesheet", href: "/css/rounds.css" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const t = now();
  const rounds = await listRounds(db(), user, t);
  const asks = can(user, "booking:own");
  const options: Record<number, FormOptionsView> = {};
  if (asks) for (const r of rounds.filter((x) => x.acceptsRequests)) options[r.id] = await roundFormOptions(db(), r);
  return { rounds, options, asks, staff: isStaff(user), now: t };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "allocate" && !can(user, "allocation:run")) throw forbidden();
  if (intent === "replay" && !isStaff(user)) throw forbidden();
  if (["request", "withdraw", "book"].includes(String(intent)) && !can(user, "booking:make")) throw forbidden();
  const result = await roundPageAction(db(), { user, now: now(), requestId: contextOf(context).requestId }, form);
  return data(result, { status: result.status });
}

export default function Rounds() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>() as ActionView | undefined;
  const { t, lang, timeZone } = useI18n();
  const open = d.rounds.filter((r) => r.status === "open");
  const allocated = d.rounds.filter((r) => r.status === "allocated");
  const mineAllocated = d.staff ? allocated : allocated.filter((r) => r.requests.some((x) => x.own));
  const others = d.staff ? [] : allocated.filter((r) => !r.requests.some((x) => x.own));
  return (
    <>
      <h1>{t("round.title")}</h1>
      <p>{t("round.intro")}</p>
      <details className="round-how card">
        <summary>{t("round.how")}</summary>
        <p>{t("round.howText")}</p>
      </details>
      {a?.intent === "book" && !d.rounds.some((r) => r.requests.some((x) => x.own && x.id === a.requestId)) ? <BookOutcome action={a} /> : null}
      {d.rounds.length === 0 ? <p className="card muted">{t("round.none")}</p> : null}
      {open.map((r) => (
        <section key={r.id} className="card round-card" id={`putaran-${r.id}`}>
          <RoundHeader round={r} link />
          {d.staff ? (
            <p>
              {t("round.count", { requests: r.requestCount, ikms: r.ikmCount })}{" "}
              <Link to={`/putaran/${r.id}`}>{t("round.detail")}</Link>
            </p>
          ) : (
            <>
              {r.acceptsRequests && d.options[r.id] ? <RoundRequestForm round={r} options={d.options[r.id]} action={a} /> : <p className="alert alert-info">{t("round.waiting")}</p>}
              <MyRequests round={r} now={d.now} action={a} />
            </>
          )}
        </section>
      ))}
      {mineAllocated.length ? <h2 className="round-section">{t("round.results")}</h2> : null}
      {mineAllocated.map((r) => (
        <section key={r.id} className="card round-card" id={`putaran-${r.id}`}>
          <RoundHeader round={r} link />
          {r.totals ? (
            <p className="small">
              {t("round.totals", {
                granted: r.totals.granted,
                requests: r.totals.requests,
                grantedHours: formatHours(r.totals.grantedMinutes / 60, lang),
                requestedHours: formatHours(r.totals.requestedMinutes / 60, lang),
                passes: r.passes ?? 0,
              })}
            </p>
          ) : null}
          {d.staff ? null : <MyRequests round={r} now={d.now} action={a} />}
          <p>
            <Link to={`/putaran/${r.id}`}>{t(d.staff ? "round.detail" : "round.orderLink")}</Link>
          </p>
        </section>
      ))}
      {others.length ? (
        <section className="card">
          <h2>{t("round.earlier")}</h2>
          <ul className="plain-list">
            {others.map((r) => (
              <li key={r.id}>
                <Link to={`/putaran/${r.id}`}>
                  {r.machine.code} · {t("round.week", { from: formatDateLong(r.weekStart, lang, timeZone), to: formatDateLong(r.weekEnd - 1, lang, timeZone) })}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
