import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { AdminSubnav, ReadOnlyNote } from "~/components/AdminForm";
import { AdminMachineForm } from "~/components/AdminMachineForm";
import { useT } from "~/i18n/react";
import { listMachineTypes } from "~/models/admin.server";
import { loadFacility } from "~/models/scheduling.server";
import { MachineCreateSchema, machineFromForm } from "~/schemas/admin";
import { formToObject } from "~/schemas/parse";
import { todayKey } from "~/services/admin/common.server";
import { adminCtx, runForm } from "~/services/admin/forms.server";
import { formFailure } from "~/utils/forms.server";
import { createMachine } from "~/services/admin/machines.server";
import { ruleDefaults } from "~/services/admin/views.server";
import { requirePermission } from "~/utils/auth.server";
import { now } from "~/utils/clock.server";
import { db } from "~/utils/db.server";
import { can } from "~/utils/permissions";

export const meta: MetaFunction = () => [{ title: "Mesin baru · Giliran" }];
export const links = () => [{ rel: "stylesheet", href: "/css/admin.css" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "admin:read");
  const [types, facility] = await Promise.all([listMachineTypes(db()), loadFacility(db())]);
  return {
    types: types.map((ty) => ({ id: ty.id, code: ty.code, name: ty.name })),
    defaults: ruleDefaults(facility),
    facilityHours: JSON.parse(facility.hours_json) as Record<string, Array<{ start: string; end: string }>>,
    today: todayKey(now(), facility.time_zone),
    canWrite: can(user, "admin:write"),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, "admin:write");
  const values = formToObject(await request.formData());
  const outcome = await runForm(() => createMachine(db(), adminCtx(user, context), MachineCreateSchema.parse(machineFromForm(values))));
  if (!outcome.ok) return formFailure(outcome, { values: values as Record<string, string | string[]> });
  return redirect(`/admin/mesin/${outcome.value.id}?dibuat=1`);
}

export default function AdminMachineNew() {
  const t = useT();
  const d = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  return (
    <>
      <AdminSubnav />
      <p className="admin-back">
        <Link to="/admin/mesin">← {t("admin.machines.title")}</Link>
      </p>
      <h1>{t("admin.machines.add")}</h1>
      <ReadOnlyNote canWrite={d.canWrite} />
      {d.types.length === 0 ? <p className="alert alert-warn">{t("admin.machines.noTypes")}</p> : null}
      <AdminMachineForm mode="create" machine={null} types={d.types} defaults={d.defaults} facilityHours={d.facilityHours} failure={failure} canWrite={d.canWrite} today={d.today} />
    </>
  );
}
