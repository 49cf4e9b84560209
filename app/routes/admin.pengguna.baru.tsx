import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { AdminSubnav, ReadOnlyNote } from "~/components/AdminForm";
import { AdminUserForm, TemporaryPassword } from "~/components/AdminUserForm";
import { useT } from "~/i18n/react";
import { ROLES, UserSchema, userFromForm } from "~/schemas/admin";
import { formToObject } from "~/schemas/parse";
import { adminCtx, runForm } from "~/services/admin/forms.server";
import { formFailure } from "~/utils/forms.server";
import { createUser } from "~/services/admin/users.server";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { can } from "~/utils/permissions";
import { listIkmOptions } from "~/models/admin.server";

export const meta: MetaFunction = () => [{ title: "Pengguna baru · Giliran" }];
export const links = () => [{ rel: "stylesheet", href: "/css/admin.css" }];
/** The temporary password is in the response: never cache it. */
export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "admin:read");
  const url = new URL(request.url);
  const ikms = await listIkmOptions(db());
  const ikm = Number(url.searchParams.get("ikm"));
  return {
    ikms,
    preset: {
      role: (ROLES as readonly string[]).includes(url.searchParams.get("role") ?? "") ? String(url.searchParams.get("role")) : "ikm",
      ikmId: Number.isInteger(ikm) && ikms.some((i) => i.id === ikm) ? ikm : null,
    },
    canWrite: can(user, "admin:write"),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, "admin:write");
  const values = formToObject(await request.formData());
  const outcome = await runForm(() => createUser(db(), adminCtx(user, context), UserSchema.parse(userFromForm(values))));
  if (!outcome.ok) return formFailure(outcome, { values: values as Record<string, string | string[]> });
  const { user: created, password } = outcome.value;
  return data({ ok: true as const, created: { id: created.id, name: created.name, password } }, { headers: { "Cache-Control": "no-store" } });
}

export default function AdminUserNew() {
  const t = useT();
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const created = actionData?.ok ? actionData.created : null;
  const failure = actionData && !actionData.ok ? actionData : undefined;
  return (
    <>
      <AdminSubnav />
      <p className="admin-back">
        <Link to="/admin/pengguna">← {t("admin.users.title")}</Link>
      </p>
      <h1>{t("admin.users.add")}</h1>
      <ReadOnlyNote canWrite={d.canWrite} />
      {created ? (
        <section className="card stack">
          <p className="alert alert-ok">{t("admin.user.created", { name: created.name })}</p>
          <TemporaryPassword password={created.password} name={created.name} />
          <div className="row">
            <Link className="button primary" to={`/admin/pengguna/${created.id}`}>
              {t("admin.user.open")}
            </Link>
            <a className="button" href="/admin/pengguna/baru">
              {t("admin.users.addAnother")}
            </a>
          </div>
        </section>
      ) : (
        <section className="card">
          <AdminUserForm
            user={{ name: "", email: null, phone: null, role: d.preset.role, ikmId: d.preset.ikmId, language: "id" }}
            ikms={d.ikms}
            failure={failure}
            canWrite={d.canWrite}
            submitLabel={t("admin.users.addSubmit")}
          />
        </section>
      )}
    </>
  );
}
