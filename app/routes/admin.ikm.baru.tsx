import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { AdminSubnav, ReadOnlyNote } from "~/components/AdminForm";
import { AdminIkmForm } from "~/components/AdminIkmForm";
import { useT } from "~/i18n/react";
import { IkmSchema, ikmFromForm } from "~/schemas/admin";
import { formToObject } from "~/schemas/parse";
import { adminCtx, runForm } from "~/services/admin/forms.server";
import { formFailure } from "~/utils/forms.server";
import { createIkm } from "~/services/admin/ikms.server";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { can } from "~/utils/permissions";

export const meta: MetaFunction = () => [{ title: "IKM baru · Giliran" }];
export const links = () => [{ rel: "stylesheet", href: "/css/admin.css" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "admin:read");
  return { canWrite: can(user, "admin:write") };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, "admin:write");
  const values = formToObject(await request.formData());
  const outcome = await runForm(() => createIkm(db(), adminCtx(user, context), IkmSchema.parse(ikmFromForm(values))));
  if (!outcome.ok) return formFailure(outcome, { values: values as Record<string, string | string[]> });
  return redirect(`/admin/ikm/${outcome.value.id}?dibuat=1`);
}

export default function AdminIkmNew() {
  const t = useT();
  const { canWrite } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  return (
    <>
      <AdminSubnav />
      <p className="admin-back">
        <Link to="/admin/ikm">← {t("admin.ikms.title")}</Link>
      </p>
      <h1>{t("admin.ikms.add")}</h1>
      <ReadOnlyNote canWrite={canWrite} />
      <section className="card">
        <AdminIkmForm ikm={null} failure={failure} canWrite={canWrite} submitLabel={t("admin.ikms.addSubmit")} />
      </section>
    </>
  );
}
