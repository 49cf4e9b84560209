import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { AdminSubnav, type Errors, Field, FormAlert, ReadOnlyNote, SavedNote, SelectField, shownValue } from "~/components/AdminForm";
import { formatDateShort } from "~/i18n/format";
import { useI18n } from "~/i18n/react";
import { listMachineTypes, listQualifiableUsers, listQualifications } from "~/models/admin.server";
import { loadFacility } from "~/models/scheduling.server";
import { QualificationSchema } from "~/schemas/admin";
import { Id } from "~/schemas/common";
import { formToObject } from "~/schemas/parse";
import { todayKey } from "~/services/admin/common.server";
import { adminCtx, intentOf, runForm } from "~/services/admin/forms.server";
import { formFailure } from "~/utils/forms.server";
import { addQualification, expireQualification, removeQualification } from "~/services/admin/qualifications.server";
import { requirePermission } from "~/utils/auth.server";
import { now } from "~/utils/clock.server";
import { db } from "~/utils/db.server";
import { can } from "~/utils/permissions";

export const meta: MetaFunction = () => [{ title: "Kualifikasi · Giliran" }];
export const links = () => [{ rel: "stylesheet", href: "/css/admin.css" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "admin:read");
  const t = now();
  const [quals, users, types, facility] = await Promise.all([listQualifications(db()), listQualifiableUsers(db()), listMachineTypes(db()), loadFacility(db())]);
  return {
    qualifications: quals.map((q) => ({
      id: q.id,
      user: q.user_name,
      userId: q.user_id,
      role: q.user_role,
      ikm: q.ikm_name,
      type: q.type_name,
      // Stored as the instant it ends (local midnight after the last valid day).
      lastDay: Number(q.valid_until) - 1,
      valid: Number(q.valid_until) > t,
      notes: q.notes,
    })),
    users: users.map((u) => ({ id: u.id, name: u.name, role: u.role, ikm: u.ikm_name })),
    types: types.map((ty) => ({ id: ty.id, name: ty.name })),
    today: todayKey(t, facility.time_zone),
    canWrite: can(user, "admin:write"),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, "admin:write");
  const form = await request.formData();
  const values = formToObject(form);
  const ctx = adminCtx(user, context);
  switch (intentOf(form)) {
    case "add": {
      const outcome = await runForm(() =>
        addQualification(db(), ctx, QualificationSchema.parse({ userId: values.userId, machineTypeId: values.machineTypeId, validUntil: values.validUntil, notes: values.notes })),
      );
      if (!outcome.ok) return formFailure(outcome, { values: values as Record<string, string | string[]> });
      return redirect("/admin/kualifikasi?ditambah=1");
    }
    case "expire":
    case "remove": {
      const expire = intentOf(form) === "expire";
      const outcome = await runForm(async () => {
        const id = Id.parse(values.id);
        return expire ? expireQualification(db(), ctx, id) : removeQualification(db(), ctx, id);
      });
      if (!outcome.ok) return formFailure(outcome, { values: values as Record<string, string | string[]> });
      return redirect(`/admin/kualifikasi?${expire ? "diakhiri" : "dihapus"}=1`);
    }
    default:
      throw new Response("Bad request", { status: 400 });
  }
}

export default function AdminQualifications() {
  const { t, lang, timeZone } = useI18n();
  const d = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const [search] = useSearchParams();
  const nav = useNavigation();
  const errors: Errors = failure?.errors ?? {};
  const staff = d.users.filter((u) => u.role !== "ikm");
  const byIkm = new Map<string, typeof d.users>();
  for (const u of d.users.filter((u) => u.role === "ikm")) byIkm.set(u.ikm ?? "", [...(byIkm.get(u.ikm ?? "") ?? []), u]);
  return (
    <>
      <AdminSubnav />
      <h1>{t("admin.quals.title")}</h1>
      <p className="muted">{t("admin.quals.intro")}</p>
      <ReadOnlyNote canWrite={d.canWrite} />
      <SavedNote show={search.has("ditambah")} messageKey="admin.quals.added" />
      <SavedNote show={search.has("diakhiri")} messageKey="admin.quals.expired" />
      <SavedNote show={search.has("dihapus")} messageKey="admin.quals.removed" />
      {d.canWrite ? (
        <section className="card">
          <h2>{t("admin.quals.add")}</h2>
          <Form method="post" noValidate className="stack">
            <FormAlert errors={errors} />
            <input type="hidden" name="intent" value="add" />
            <div className="grid-2">
              <SelectField name="userId" label={t("admin.quals.user")} defaultValue={shownValue(failure, "userId", "")} error={errors.userId} required>
                <option value="">{t("admin.choose")}</option>
                <optgroup label={t("admin.quals.staff")}>
                  {staff.map((u) => (
                    <option key={u.id} value={u.id}>
                      {u.name} ({t(`role.${u.role}`)})
                    </option>
                  ))}
                </optgroup>
                {[...byIkm.entries()].map(([ikm, members]) => (
                  <optgroup key={ikm} label={ikm}>
                    {members.map((u) => (
                      <option key={u.id} value={u.id}>
                        {u.name}
                      </option>
                    ))}
                  </optgroup>
                ))}
              </SelectField>
              <SelectField name="machineTypeId" label={t("admin.quals.type")} defaultValue={shownValue(failure, "machineTypeId", "")} error={errors.machineTypeId} required>
                <option value="">{t("admin.choose")}</option>
                {d.types.map((ty) => (
                  <option key={ty.id} value={ty.id}>
                    {ty.name}
                  </option>
                ))}
              </SelectField>
              <Field name="validUntil" label={t("admin.quals.validUntil")} type="date" min={d.today} defaultValue={shownValue(failure, "validUntil", "")} error={errors.validUntil} required hint={t("admin.quals.validUntilHint")} />
              <Field name="notes" label={t("admin.quals.notes")} defaultValue={shownValue(failure, "notes", "")} error={errors.notes} maxLength={500} hint={t("admin.quals.notesHint")} />
            </div>
            <div>
              <button type="submit" className="button primary" disabled={nav.state !== "idle"}>
                {t("admin.quals.addSubmit")}
              </button>
            </div>
          </Form>
        </section>
      ) : null}
      <section className="card">
        <h2>{t("admin.quals.list", { n: d.qualifications.length })}</h2>
        {d.qualifications.length ? (
          <ul className="admin-list">
            {d.qualifications.map((q) => (
              <li key={q.id} className={`admin-item${q.valid ? "" : " admin-inactive"}`}>
                <div className="admin-item-main">
                  <strong>{q.user}</strong>
                  <span className="small admin-item-sub">
                    {q.type} · {q.ikm ?? t(`role.${q.role}`)}
                  </span>
                  <span className="small admin-item-sub">
                    {q.valid ? (
                      <span className="admin-pill admin-pill-active">{t("admin.quals.validTill", { date: formatDateShort(q.lastDay, lang, timeZone) })}</span>
                    ) : (
                      <span className="admin-pill admin-pill-retired">{t("admin.quals.expiredOn", { date: formatDateShort(q.lastDay, lang, timeZone) })}</span>
                    )}
                    {q.notes ? <span className="muted"> {q.notes}</span> : null}
                  </span>
                </div>
                {d.canWrite ? (
                  <div className="admin-item-meta">
                    {q.valid ? (
                      <Form method="post">
                        <input type="hidden" name="intent" value="expire" />
                        <input type="hidden" name="id" value={q.id} />
                        <button type="submit" className="button small" aria-label={t("admin.quals.expireLabel", { name: q.user, type: q.type })}>
                          {t("admin.quals.expire")}
                        </button>
                      </Form>
                    ) : null}
                    <Form method="post">
                      <input type="hidden" name="intent" value="remove" />
                      <input type="hidden" name="id" value={q.id} />
                      <button type="submit" className="button small danger" aria-label={t("admin.quals.removeLabel", { name: q.user, type: q.type })}>
                        {t("admin.quals.remove")}
                      </button>
                    </Form>
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{t("admin.quals.none")}</p>
        )}
      </section>
    </>
  );
}
