import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { TableScroll } from "~/components/TableScroll";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { AdminListHead, type Errors, Field, FormAlert, SavedNote, shownValue } from "~/components/AdminForm";
import { formatRupiah } from "~/i18n/format";
import { useT } from "~/i18n/react";
import { MachineTypeSchema } from "~/schemas/admin";
import { formToObject } from "~/schemas/parse";
import { adminCtx, intentOf, runForm } from "~/services/admin/forms.server";
import { formFailure } from "~/utils/forms.server";
import { addMachineType } from "~/services/admin/machines.server";
import { machineListView } from "~/services/admin/views.server";
import { requirePermission } from "~/utils/auth.server";
import { now } from "~/utils/clock.server";
import { db } from "~/utils/db.server";
import { can } from "~/utils/permissions";

export const meta: MetaFunction = () => [{ title: "Mesin · Giliran" }];
export const links = () => [{ rel: "stylesheet", href: "/css/admin.css" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "admin:read");
  const view = await machineListView(db(), now());
  return { ...view, canWrite: can(user, "admin:write") };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, "admin:write");
  const form = await request.formData();
  const values = formToObject(form);
  if (intentOf(form) !== "addType") throw new Response("Bad request", { status: 400 });
  const outcome = await runForm(() =>
    addMachineType(db(), adminCtx(user, context), MachineTypeSchema.parse({ code: values.code, name: values.name, description: values.description })),
  );
  if (!outcome.ok) return formFailure(outcome, { values: values as Record<string, string | string[]> });
  return data({ ok: true as const, added: outcome.value.name, errors: {} as Errors, values: {} as Record<string, unknown> });
}

export default function AdminMachines() {
  const t = useT();
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const nav = useNavigation();
  const failure = actionData && !actionData.ok ? actionData : undefined;
  const errors: Errors = failure?.errors ?? {};
  const inService = d.machines.filter((m) => m.status !== "retired");
  const retired = d.machines.filter((m) => m.status === "retired");
  const row = (m: (typeof d.machines)[number]) => (
    <li key={m.id} className="admin-item">
      <Link to={`/admin/mesin/${m.id}`} className="admin-item-main">
        <strong>{m.code}</strong> {m.name}
        <span className="muted small admin-item-sub">
          {m.type}
          {m.location ? ` · ${m.location}` : ""}
        </span>
      </Link>
      <div className="admin-item-meta">
        <span className={`admin-pill admin-pill-${m.status}`}>{t(`admin.machine.status.${m.status}`)}</span>
        <span className="small">
          {formatRupiah(m.rate)}
          {t("admin.tariff.perHour")}
        </span>
        <span className="small muted">{t("admin.machine.futureCount", { n: m.futureBookings })}</span>
      </div>
    </li>
  );
  return (
    <>
      <AdminListHead title={t("admin.machines.title")} addLabel={t("admin.machines.add")} addTo="/admin/mesin/baru" canWrite={d.canWrite} />
      <section className="card">
        <h2>{t("admin.machines.inService", { n: inService.length })}</h2>
        {inService.length ? <ul className="admin-list">{inService.map(row)}</ul> : <p className="muted">{t("admin.machines.none")}</p>}
      </section>
      {retired.length ? (
        <section className="card">
          <h2>{t("admin.machines.retired", { n: retired.length })}</h2>
          <ul className="admin-list">{retired.map(row)}</ul>
        </section>
      ) : null}
      <section className="card" id="jenis">
        <h2>{t("admin.types.title")}</h2>
        <TableScroll>
          <table>
            <thead>
              <tr>
                <th>{t("admin.types.code")}</th>
                <th>{t("admin.types.name")}</th>
                <th className="num">{t("admin.types.machines")}</th>
              </tr>
            </thead>
            <tbody>
              {d.types.map((ty) => (
                <tr key={ty.id}>
                  <td>
                    <code>{ty.code}</code>
                  </td>
                  <td>
                    {ty.name}
                    {ty.description ? <div className="muted small">{ty.description}</div> : null}
                  </td>
                  <td className="num">{ty.machines}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
        {d.canWrite ? (
          <Form method="post" noValidate className="stack admin-subform" key={actionData?.ok ? actionData.added : "type-form"}>
            <h3>{t("admin.types.add")}</h3>
            <SavedNote show={!!actionData?.ok} messageKey="admin.types.added" params={{ name: actionData?.ok ? actionData.added : "" }} />
            <FormAlert errors={errors} />
            <input type="hidden" name="intent" value="addType" />
            <div className="grid-2">
              <Field name="code" label={t("admin.types.code")} defaultValue={shownValue(failure, "code", "")} error={errors.code} required maxLength={20} autoCapitalize="characters" hint={t("admin.types.codeHint")} />
              <Field name="name" label={t("admin.types.name")} defaultValue={shownValue(failure, "name", "")} error={errors.name} required maxLength={100} />
            </div>
            <Field name="description" label={t("admin.types.description")} defaultValue={shownValue(failure, "description", "")} error={errors.description} maxLength={500} />
            <div>
              <button type="submit" className="button" disabled={nav.state !== "idle"}>
                {t("admin.types.submit")}
              </button>
            </div>
          </Form>
        ) : null}
      </section>
    </>
  );
}
