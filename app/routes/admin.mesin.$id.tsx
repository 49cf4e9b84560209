import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { TableScroll } from "~/components/TableScroll";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { AdminSubnav, type Errors, Field, FormAlert, ReadOnlyNote, SavedNote, shownValue } from "~/components/AdminForm";
import { AdminMachineForm, AffectedList } from "~/components/AdminMachineForm";
import { formatDateShort, formatRupiah } from "~/i18n/format";
import { useI18n } from "~/i18n/react";
import { getMachine } from "~/models/scheduling.server";
import { MachinePatchSchema, TariffSchema, machineFromForm, tariffFromForm } from "~/schemas/admin";
import { Id } from "~/schemas/common";
import { formToObject } from "~/schemas/parse";
import { adminCtx, intentOf, runForm } from "~/services/admin/forms.server";
import { formFailure } from "~/utils/forms.server";
import { addTariff, changeToken, removeFutureTariff, updateMachine } from "~/services/admin/machines.server";
import { machinePageView } from "~/services/admin/views.server";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { can } from "~/utils/permissions";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `${d?.machine.code ?? "Mesin"} · Giliran` }];
export const links = () => [{ rel: "stylesheet", href: "/css/admin.css" }];

function machineId(raw: string | undefined): number {
  const id = Id.safeParse(raw);
  if (!id.success) throw new Response("Not found", { status: 404 });
  return id.data;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "admin:read");
  const machine = await getMachine(db(), machineId(params.id));
  if (!machine) throw new Response("Not found", { status: 404 });
  const view = await machinePageView(db(), adminCtx(user, context), machine);
  return { ...view, canWrite: can(user, "admin:write") };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, "admin:write");
  const id = machineId(params.id);
  const form = await request.formData();
  const values = formToObject(form);
  const ctx = adminCtx(user, context);
  switch (intentOf(form)) {
    case "save": {
      const outcome = await runForm(async () => {
        const { hourlyRate: _r, tariffFrom: _f, ...change } = MachinePatchSchema.parse(machineFromForm(values));
        // "Save anyway" carries the token of exactly the change that was shown.
        const confirmAffected = typeof values.confirm === "string" && values.confirm === changeToken(id, change);
        return updateMachine(db(), ctx, id, { ...change, confirmAffected });
      });
      if (!outcome.ok) return formFailure(outcome, { values: values as Record<string, string | string[]> });
      const r = outcome.value;
      if (!r.saved) return data({ ok: false as const, errors: {} as Errors, values, preview: { affected: r.affected, token: r.token } });
      return redirect(`/admin/mesin/${id}?disimpan=1${r.affected.length ? `&terdampak=${r.affected.length}` : ""}`);
    }
    case "addTariff": {
      const outcome = await runForm(() => addTariff(db(), ctx, id, TariffSchema.parse(tariffFromForm(values))));
      if (!outcome.ok) return formFailure(outcome, { values: values as Record<string, string | string[]>, form: "tariff" });
      return redirect(`/admin/mesin/${id}?tarif=1#tarif`);
    }
    case "removeTariff": {
      const outcome = await runForm(() => removeFutureTariff(db(), ctx, id, Id.parse(values.tariffId)));
      if (!outcome.ok) return formFailure(outcome, { values: values as Record<string, string | string[]>, form: "tariff" });
      return redirect(`/admin/mesin/${id}?tarifDihapus=1#tarif`);
    }
    default:
      throw new Response("Bad request", { status: 400 });
  }
}

export default function AdminMachineEdit() {
  const { t, lang, timeZone } = useI18n();
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [search] = useSearchParams();
  const nav = useNavigation();
  const tariffFailure = actionData && "form" in actionData && actionData.form === "tariff" ? actionData : undefined;
  const machineFailure = actionData && !tariffFailure ? actionData : undefined;
  const tariffErrors: Errors = tariffFailure?.errors ?? {};
  return (
    <>
      <AdminSubnav />
      <p className="admin-back">
        <Link to="/admin/mesin">← {t("admin.machines.title")}</Link>
      </p>
      <h1>
        {d.machine.code} · {d.machine.name}
      </h1>
      <ReadOnlyNote canWrite={d.canWrite} />
      <SavedNote show={search.has("dibuat")} messageKey="admin.machine.created" />
      <SavedNote show={search.has("disimpan") && !search.has("terdampak") && !actionData} />
      {search.has("terdampak") && !actionData ? <p className="alert alert-warn">{t("admin.machine.savedAffected", { n: Number(search.get("terdampak")) })}</p> : null}

      <section className={`card ${d.flagged.length ? "admin-flagged" : ""}`} aria-labelledby="flag-title">
        <h2 id="flag-title">{t("admin.machine.future", { n: d.futureBookings })}</h2>
        {d.flagged.length ? (
          <>
            <p className="alert alert-warn">
              <strong>{t("admin.machine.flagged", { n: d.flagged.length })}</strong> {t("admin.machine.flaggedHelp")}
            </p>
            <details open={d.flagged.length <= 3}>
              <summary className="admin-summary">{t("admin.machine.flaggedList", { n: d.flagged.length })}</summary>
              <AffectedList items={d.flagged} />
            </details>
          </>
        ) : (
          <p className="muted">{t("admin.machine.allFit")}</p>
        )}
      </section>

      <AdminMachineForm mode="edit" machine={d.machine} types={d.types} defaults={d.defaults} facilityHours={d.facilityHours} failure={machineFailure} canWrite={d.canWrite} today={d.today} />

      <section className="card" id="tarif" aria-labelledby="tariff-title">
        <h2 id="tariff-title">{t("admin.tariff.history")}</h2>
        <SavedNote show={search.has("tarif")} messageKey="admin.tariff.added" />
        <SavedNote show={search.has("tarifDihapus")} messageKey="admin.tariff.removed" />
        <p className="muted small">{t("admin.tariff.historyHelp")}</p>
        {d.tariffs.length ? (
          <TableScroll>
            <table>
              <thead>
                <tr>
                  <th>{t("admin.tariff.from")}</th>
                  <th className="num">{t("admin.tariff.rate")}</th>
                  <th>{t("admin.tariff.state")}</th>
                  {d.canWrite ? <th aria-label={t("admin.actions")} /> : null}
                </tr>
              </thead>
              <tbody>
                {d.tariffs.map((tr) => (
                  <tr key={tr.id} className={tr.state === "current" ? "admin-current" : undefined}>
                    <td>
                      {formatDateShort(tr.effectiveFrom, lang, timeZone)}
                      {tr.createdBy ? <div className="muted small">{t("admin.tariff.by", { name: tr.createdBy })}</div> : null}
                    </td>
                    <td className="num">{formatRupiah(tr.hourlyRate)}</td>
                    <td>{t(`admin.tariff.state.${tr.state}`)}</td>
                    {d.canWrite ? (
                      <td>
                        {tr.state === "future" ? (
                          <Form method="post">
                            <input type="hidden" name="intent" value="removeTariff" />
                            <input type="hidden" name="tariffId" value={tr.id} />
                            <button type="submit" className="button small danger">
                              {t("admin.tariff.remove")}
                            </button>
                          </Form>
                        ) : null}
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        ) : (
          <p className="alert alert-info">{t("admin.tariff.none", { value: formatRupiah(d.defaultRate) })}</p>
        )}
        {d.canWrite ? (
          <Form method="post" noValidate className="stack admin-subform">
            <h3>{t("admin.tariff.add")}</h3>
            <FormAlert errors={tariffErrors} />
            <input type="hidden" name="intent" value="addTariff" />
            <div className="grid-2">
              <Field name="hourlyRate" label={t("admin.tariff.rate")} inputMode="numeric" defaultValue={shownValue(tariffFailure, "hourlyRate", "")} error={tariffErrors.hourlyRate} required autoComplete="off" hint={t("admin.tariff.rateUnit")} />
              <Field name="effectiveFrom" label={t("admin.tariff.from")} type="date" min={d.tariffs.length ? d.today : undefined} defaultValue={shownValue(tariffFailure, "effectiveFrom", d.today)} error={tariffErrors.effectiveFrom} required />
            </div>
            <div>
              <button type="submit" className="button" disabled={nav.state !== "idle"}>
                {t("admin.tariff.submit")}
              </button>
            </div>
          </Form>
        ) : null}
      </section>
    </>
  );
}
