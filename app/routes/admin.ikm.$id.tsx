import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { AdminSubnav, type Errors, FormAlert, ReadOnlyNote, SavedNote, TextAreaField, shownValue } from "~/components/AdminForm";
import { AdminIkmForm } from "~/components/AdminIkmForm";
import { formatDateLong } from "~/i18n/format";
import { useI18n } from "~/i18n/react";
import { countNoShows, getIkm, listMembers } from "~/models/admin.server";
import { countActiveBookings, loadFacility } from "~/models/scheduling.server";
import { DAY_MS } from "~/scheduling";
import { IkmSchema, LiftRestrictionSchema, ikmFromForm } from "~/schemas/admin";
import { Id } from "~/schemas/common";
import { formToObject } from "~/schemas/parse";
import { adminCtx, intentOf, runForm } from "~/services/admin/forms.server";
import { formFailure } from "~/utils/forms.server";
import { liftRestriction, setIkmActive, updateIkm } from "~/services/admin/ikms.server";
import { forbidden, requirePermission } from "~/utils/auth.server";
import { now } from "~/utils/clock.server";
import { db } from "~/utils/db.server";
import { can } from "~/utils/permissions";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `${d?.ikm.name ?? "IKM"} · Giliran` }];
export const links = () => [{ rel: "stylesheet", href: "/css/admin.css" }];

function ikmId(raw: string | undefined): number {
  const id = Id.safeParse(raw);
  if (!id.success) throw new Response("Not found", { status: 404 });
  return id.data;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "admin:read");
  const ikm = await getIkm(db(), ikmId(params.id));
  if (!ikm) throw new Response("Not found", { status: 404 });
  const t = now();
  const facility = await loadFacility(db());
  const [members, noShows, future] = await Promise.all([
    listMembers(db(), ikm.id),
    countNoShows(db(), ikm.id, t - facility.noshow_window_days * DAY_MS),
    countActiveBookings(db(), ikm.id, t),
  ]);
  const restricted = ikm.restricted_until !== null && Number(ikm.restricted_until) > t;
  return {
    ikm: { id: ikm.id, name: ikm.name, ownerName: ikm.owner_name, nib: ikm.nib, phone: ikm.phone, address: ikm.address, sector: ikm.sector, active: ikm.active === 1 },
    restriction: { until: restricted ? Number(ikm.restricted_until) : null, reason: restricted ? ikm.restriction_reason : null, noShows, windowDays: facility.noshow_window_days, threshold: facility.noshow_count },
    members: members.map((m) => ({ id: m.id, name: m.name, email: m.email, phone: m.phone, active: m.active === 1 })),
    futureBookings: future,
    canWrite: can(user, "admin:write"),
    canLift: can(user, "restriction:lift"),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, "admin:read");
  const id = ikmId(params.id);
  const form = await request.formData();
  const values = formToObject(form);
  const ctx = adminCtx(user, context);
  const intent = intentOf(form);
  if (intent === "lift") {
    if (!can(user, "restriction:lift")) throw forbidden();
    const outcome = await runForm(() => liftRestriction(db(), ctx, id, LiftRestrictionSchema.parse({ reason: values.reason }).reason));
    if (!outcome.ok) return formFailure(outcome, { values: values as Record<string, string | string[]>, form: "lift" });
    return redirect(`/admin/ikm/${id}?dicabut=1`);
  }
  if (!can(user, "admin:write")) throw forbidden();
  if (intent === "save") {
    const outcome = await runForm(() => updateIkm(db(), ctx, id, IkmSchema.parse(ikmFromForm(values))));
    if (!outcome.ok) return formFailure(outcome, { values: values as Record<string, string | string[]>, form: "ikm" });
    return redirect(`/admin/ikm/${id}?disimpan=1`);
  }
  if (intent === "deactivate" || intent === "activate") {
    const outcome = await runForm(() => setIkmActive(db(), ctx, id, intent === "activate"));
    if (!outcome.ok) return formFailure(outcome, { values: values as Record<string, string | string[]>, form: "status" });
    return redirect(`/admin/ikm/${id}?${intent === "activate" ? "diaktifkan" : "dinonaktifkan"}=1`);
  }
  throw new Response("Bad request", { status: 400 });
}

export default function AdminIkmEdit() {
  const { t, lang, timeZone } = useI18n();
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [search] = useSearchParams();
  const nav = useNavigation();
  const failureOf = (form: string) => (actionData && "form" in actionData && actionData.form === form ? actionData : undefined);
  const liftFailure = failureOf("lift");
  const liftErrors: Errors = liftFailure?.errors ?? {};
  return (
    <>
      <AdminSubnav />
      <p className="admin-back">
        <Link to="/admin/ikm">← {t("admin.ikms.title")}</Link>
      </p>
      <h1>{d.ikm.name}</h1>
      <ReadOnlyNote canWrite={d.canWrite} />
      <SavedNote show={search.has("dibuat")} messageKey="admin.ikm.created" />
      <SavedNote show={search.has("disimpan") && !actionData} />
      <SavedNote show={search.has("dicabut")} messageKey="admin.ikm.lifted" />
      <SavedNote show={search.has("dinonaktifkan")} messageKey="admin.ikm.deactivated" />
      <SavedNote show={search.has("diaktifkan")} messageKey="admin.ikm.activated" />
      {d.ikm.active ? null : <p className="alert alert-warn">{t("admin.ikm.inactiveNote")}</p>}

      <section className="card" aria-labelledby="restriction-title">
        <h2 id="restriction-title">{t("admin.ikm.restriction")}</h2>
        {d.restriction.until ? (
          <>
            <p className="alert alert-warn">
              {t("admin.ikm.restrictedLong", { date: formatDateLong(d.restriction.until, lang, timeZone) })}
              {d.restriction.reason ? ` ${t("admin.ikm.restrictionReason", { reason: d.restriction.reason })}` : ""}
            </p>
            {d.canLift ? (
              <Form method="post" noValidate className="stack">
                <FormAlert errors={liftErrors} />
                <input type="hidden" name="intent" value="lift" />
                <TextAreaField name="reason" label={t("admin.ikm.liftReason")} defaultValue={shownValue(liftFailure, "reason", "")} error={liftErrors.reason} required maxLength={500} rows={2} />
                <div>
                  <button type="submit" className="button primary" disabled={nav.state !== "idle"}>
                    {t("admin.ikm.lift")}
                  </button>
                </div>
              </Form>
            ) : null}
          </>
        ) : (
          <p className="muted">{t("admin.ikm.notRestrictedNote")}</p>
        )}
        <p className="small muted">{t("admin.ikm.noShows", { n: d.restriction.noShows, days: d.restriction.windowDays, threshold: d.restriction.threshold })}</p>
      </section>

      <section className="card" aria-labelledby="data-title">
        <h2 id="data-title">{t("admin.ikm.data")}</h2>
        <AdminIkmForm ikm={d.ikm} failure={failureOf("ikm")} canWrite={d.canWrite} submitLabel={t("common.save")} />
      </section>

      <section className="card" aria-labelledby="members-title">
        <div className="admin-head">
          <h2 id="members-title">{t("admin.ikm.members", { n: d.members.length })}</h2>
          {d.canWrite && d.ikm.active ? (
            <Link className="button small" to={`/admin/pengguna/baru?role=ikm&ikm=${d.ikm.id}`}>
              {t("admin.ikm.addMember")}
            </Link>
          ) : null}
        </div>
        {d.members.length ? (
          <ul className="admin-list">
            {d.members.map((m) => (
              <li key={m.id} className={`admin-item${m.active ? "" : " admin-inactive"}`}>
                <Link to={`/admin/pengguna/${m.id}`} className="admin-item-main">
                  <strong>{m.name}</strong>
                  <span className="muted small admin-item-sub">{[m.email, m.phone].filter(Boolean).join(" · ")}</span>
                </Link>
                {m.active ? null : <span className="admin-pill admin-pill-retired">{t("admin.inactive")}</span>}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{t("admin.ikm.noMembers")}</p>
        )}
      </section>

      {d.canWrite ? (
        <section className="card" aria-labelledby="status-title">
          <h2 id="status-title">{t("admin.ikm.status")}</h2>
          <Form method="post">
            {d.ikm.active ? (
              <>
                <p className="small">{t("admin.ikm.deactivateHelp", { n: d.futureBookings })}</p>
                <input type="hidden" name="intent" value="deactivate" />
                <button type="submit" className="button danger">
                  {t("admin.ikm.deactivate")}
                </button>
              </>
            ) : (
              <>
                <input type="hidden" name="intent" value="activate" />
                <button type="submit" className="button">
                  {t("admin.ikm.activate")}
                </button>
              </>
            )}
          </Form>
        </section>
      ) : null}
    </>
  );
}
