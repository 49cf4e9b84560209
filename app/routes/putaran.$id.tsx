import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { type ActionView, BookOutcome, MyRequests, RoundHeader, RoundOrder, RoundRequestForm, RoundRequestsTable } from "~/components/RoundParts";
import { useI18n } from "~/i18n/react";
import { roundPageAction } from "~/services/rounds/page-actions.server";
import type { FormOptionsView } from "~/views/rounds";
import { getRound, listActiveIkms, roundFormOptions } from "~/services/rounds/views.server";
import { forbidden, requireUser } from "~/utils/auth.server";
import { now } from "~/utils/clock.server";
import { contextOf } from "~/utils/context";
import { db } from "~/utils/db.server";
import { can, isStaff } from "~/utils/permissions";

export const meta: MetaFunction = () => [{ title: "Putaran alokasi · Giliran" }];
export const links = () => [{ rel: "stylesheet", href: "/css/rounds.css" }];

function roundIdOf(value: string | undefined): number {
  const id = Number(value);
  if (!Number.isInteger(id) || id <= 0 || id > 2_147_483_647) throw new Response("Not found", { status: 404 });
  return id;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const t = now();
  const round = await getRound(db(), user, roundIdOf(params.id), t).catch((error) => {
    if ((error as { code?: string }).code === "not_found") throw new Response("Not found", { status: 404 });
    throw error;
  });
  const asks = can(user, "booking:make");
  const options: FormOptionsView | null = asks && round.acceptsRequests ? await roundFormOptions(db(), round) : null;
  const ikms = can(user, "booking:any") ? await listActiveIkms(db()) : null;
  return { round, options, ikms, staff: isStaff(user), canRun: can(user, "allocation:run"), now: t };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  roundIdOf(params.id);
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "allocate" && !can(user, "allocation:run")) throw forbidden();
  if (intent === "replay" && !can(user, "allocation:replay")) throw forbidden();
  if (["request", "withdraw", "book"].includes(String(intent)) && !can(user, "booking:make")) throw forbidden();
  // The round acted on is this page's: a posted roundId cannot point elsewhere.
  if (intent === "allocate" || intent === "replay" || intent === "request") form.set("roundId", String(params.id));
  const result = await roundPageAction(db(), { user, now: now(), requestId: contextOf(context).requestId }, form);
  return data(result, { status: result.status });
}

export default function RoundDetail() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>() as ActionView | undefined;
  const { t } = useI18n();
  const nav = useNavigation();
  const r = d.round;
  const busy = nav.state !== "idle";
  return (
    <>
      <p>
        <Link to="/putaran">← {t("round.backToList")}</Link>
      </p>
      <h1>{t("round.title")}</h1>
      {a?.intent === "book" && !r.requests.some((x) => x.own && x.id === a.requestId) ? <BookOutcome action={a} /> : null}
      <section className="card round-card">
        <RoundHeader round={r} />
        {d.staff ? <p>{t("round.count", { requests: r.requestCount, ikms: r.ikmCount })}</p> : null}
        {a?.intent === "allocate" && a.ok && a.totals ? (
          <p className="alert alert-ok" role="status">
            {t("round.run.done", { granted: a.totals.granted, requests: a.totals.requests })}
          </p>
        ) : null}
        {a?.intent === "allocate" && !a.ok ? (
          <p className="alert alert-error" role="alert">
            {t(a.error ?? a.errors?.seed ?? "round.error.unknownAction", a.params)}
          </p>
        ) : null}
        {d.canRun && r.status === "open" ? (
          <Form method="post" className="stack run-form">
            <input type="hidden" name="intent" value="allocate" />
            <p className="alert alert-warn">{t(r.acceptsRequests ? "round.run.early" : "round.run.after")}</p>
            <label className="field">
              <span>{t("round.run.seed")}</span>
              <input name="seed" type="text" maxLength={64} autoComplete="off" aria-describedby={`seed-hint-${r.id}`} />
              <small id={`seed-hint-${r.id}`} className="muted">
                {t("round.run.seedHint")}
              </small>
            </label>
            <button type="submit" className="button primary block" disabled={busy}>
              {busy && nav.formData?.get("intent") === "allocate" ? t("common.loading") : t("round.run")}
            </button>
          </Form>
        ) : null}
        {d.staff && r.status === "allocated" ? (
          <Form method="post" className="row replay-form">
            <input type="hidden" name="intent" value="replay" />
            <button type="submit" className="button small" disabled={busy}>
              {t("round.replay")}
            </button>
            {a?.intent === "replay" && a.replay ? (
              <span className={a.replay.matches ? "replay-ok" : "replay-bad"} role="status">
                {a.replay.matches ? "✓ " : "✗ "}
                {t(a.replay.matches ? "round.replay.ok" : "round.replay.bad", { seed: a.replay.seed })}
              </span>
            ) : null}
          </Form>
        ) : null}
      </section>

      {!d.staff ? (
        <section className="card">
          {d.options ? <RoundRequestForm round={r} options={d.options} action={a} /> : null}
          <MyRequests round={r} now={d.now} action={a} />
        </section>
      ) : null}

      {r.order ? (
        <section className="card">
          <RoundOrder round={r} />
        </section>
      ) : null}

      {d.staff ? (
        <section className="card">
          <h2>{t("round.requests.title")}</h2>
          {r.requests.length ? <RoundRequestsTable round={r} /> : <p className="muted">{t("round.mine.none")}</p>}
          {d.options && d.ikms ? (
            <details className="staff-request">
              <summary>{t("round.staff.askFor")}</summary>
              <RoundRequestForm round={r} options={d.options} ikms={d.ikms} action={a} />
            </details>
          ) : null}
        </section>
      ) : null}
    </>
  );
}
