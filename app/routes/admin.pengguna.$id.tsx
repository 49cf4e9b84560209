import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { AdminSubnav, ReadOnlyNote, SavedNote } from "~/components/AdminForm";
import { AdminUserForm, TemporaryPassword } from "~/components/AdminUserForm";
import { useT } from "~/i18n/react";
import { countLiveSessions, getUserRow, listIkmOptions } from "~/models/admin.server";
import { UserSchema, userFromForm } from "~/schemas/admin";
import { Id } from "~/schemas/common";
import { formToObject } from "~/schemas/parse";
import { adminCtx, intentOf, runForm } from "~/services/admin/forms.server";
import { formFailure } from "~/utils/forms.server";
import { resetPassword, setUserActive, updateUser } from "~/services/admin/users.server";
import { requirePermission } from "~/utils/auth.server";
import { now } from "~/utils/clock.server";
import { db } from "~/utils/db.server";
import { can } from "~/utils/permissions";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `${d?.user.name ?? "Pengguna"} · Giliran` }];
export const links = () => [{ rel: "stylesheet", href: "/css/admin.css" }];
/** A reset password is in the response: never cache it. */
export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

function userId(raw: string | undefined): number {
  const id = Id.safeParse(raw);
  if (!id.success) throw new Response("Not found", { status: 404 });
  return id.data;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const me = await requirePermission(request, "admin:read");
  const u = await getUserRow(db(), userId(params.id));
  if (!u) throw new Response("Not found", { status: 404 });
  const [ikms, sessions] = await Promise.all([
    listIkmOptions(db(), u.ikm_id),
    countLiveSessions(db(), u.id, now()),
  ]);
  return {
    user: { id: u.id, name: u.name, email: u.email, phone: u.phone, role: u.role, ikmId: u.ikm_id, language: u.language, active: u.active === 1 },
    ikms: ikms.map((i) => ({ id: i.id, name: i.name })),
    ikmName: ikms.find((i) => i.id === u.ikm_id)?.name ?? null,
    sessions,
    isMe: me.id === u.id,
    canWrite: can(me, "admin:write"),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const me = await requirePermission(request, "admin:write");
  const id = userId(params.id);
  const form = await request.formData();
  const values = formToObject(form);
  const ctx = adminCtx(me, context);
  switch (intentOf(form)) {
    case "save": {
      const outcome = await runForm(() => updateUser(db(), ctx, id, UserSchema.parse(userFromForm(values))));
      if (!outcome.ok) return formFailure(outcome, { values: values as Record<string, string | string[]>, form: "user" });
      return redirect(`/admin/pengguna/${id}?disimpan=1`);
    }
    case "resetPassword": {
      const outcome = await runForm(() => resetPassword(db(), ctx, id));
      if (!outcome.ok) return formFailure(outcome, { values: values as Record<string, string | string[]>, form: "status" });
      return data({ ok: true as const, password: outcome.value }, { headers: { "Cache-Control": "no-store" } });
    }
    case "deactivate":
    case "activate": {
      const activate = intentOf(form) === "activate";
      const outcome = await runForm(() => setUserActive(db(), ctx, id, activate));
      if (!outcome.ok) return formFailure(outcome, { values: values as Record<string, string | string[]>, form: "status" });
      // Deactivating oneself ends one's own session: the next page is the login.
      return redirect(id === me.id && !activate ? "/login" : `/admin/pengguna/${id}?${activate ? "diaktifkan" : "dinonaktifkan"}=1`);
    }
    default:
      throw new Response("Bad request", { status: 400 });
  }
}

export default function AdminUserEdit() {
  const t = useT();
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [search] = useSearchParams();
  const failureOf = (form: string) => (actionData && "form" in actionData && actionData.form === form ? actionData : undefined);
  const statusFailure = failureOf("status");
  const password = actionData && "password" in actionData ? actionData.password : null;
  return (
    <>
      <AdminSubnav />
      <p className="admin-back">
        <Link to="/admin/pengguna">← {t("admin.users.title")}</Link>
      </p>
      <h1>{d.user.name}</h1>
      <p className="muted">
        {t(`role.${d.user.role}`)}
        {d.ikmName ? (
          <>
            {" · "}
            <Link to={`/admin/ikm/${d.user.ikmId}`}>{d.ikmName}</Link>
          </>
        ) : null}
        {d.user.active ? "" : ` · ${t("admin.inactive")}`}
      </p>
      <ReadOnlyNote canWrite={d.canWrite} />
      <SavedNote show={search.has("disimpan") && !actionData} />
      <SavedNote show={search.has("dinonaktifkan")} messageKey="admin.user.deactivated" />
      <SavedNote show={search.has("diaktifkan")} messageKey="admin.user.activated" />
      {password ? <TemporaryPassword password={password} name={d.user.name} /> : null}
      <section className="card">
        <AdminUserForm user={d.user} ikms={d.ikms} failure={failureOf("user")} canWrite={d.canWrite} submitLabel={t("common.save")} />
      </section>
      {d.canWrite ? (
        <section className="card stack" aria-labelledby="account-title">
          <h2 id="account-title">{t("admin.user.account")}</h2>
          {statusFailure ? (
            <div className="alert alert-error" role="alert">
              {Object.entries(statusFailure.errors).map(([k, e]) => (
                <p key={k} className="admin-alert-line">
                  {t(e.key, e.params)}
                </p>
              ))}
            </div>
          ) : null}
          <p className="small muted">{t("admin.user.sessions", { n: d.sessions })}</p>
          <Form method="post">
            <input type="hidden" name="intent" value="resetPassword" />
            <p className="small">{t("admin.user.resetHelp")}</p>
            <button type="submit" className="button">
              {t("admin.user.reset")}
            </button>
          </Form>
          <Form method="post">
            {d.user.active ? (
              <>
                <p className="small">{d.isMe ? t("admin.user.deactivateSelf") : t("admin.user.deactivateHelp")}</p>
                <input type="hidden" name="intent" value="deactivate" />
                <button type="submit" className="button danger">
                  {t("admin.user.deactivate")}
                </button>
              </>
            ) : (
              <>
                <input type="hidden" name="intent" value="activate" />
                <button type="submit" className="button">
                  {t("admin.user.activate")}
                </button>
              </>
            )}
          </Form>
        </section>
      ) : null}
    </>
  );
}
