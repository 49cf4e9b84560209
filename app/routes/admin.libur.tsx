import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { AdminSubnav, type Errors, Field, FormAlert, ReadOnlyNote, SavedNote, SelectField, TextAreaField, shownValue } from "~/components/AdminForm";
import { formatDateLong } from "~/i18n/format";
import { useI18n } from "~/i18n/react";
import { listClosureYears, listClosures } from "~/models/admin.server";
import { loadFacility } from "~/models/scheduling.server";
import { CLOSURE_KINDS, ClosureSchema } from "~/schemas/admin";
import { LocalDate } from "~/schemas/common";
import { formToObject } from "~/schemas/parse";
import { CSV_MAX_BYTES, addClosure, importClosures, removeClosure } from "~/services/admin/closures.server";
import { todayKey } from "~/services/admin/common.server";
import { adminCtx, intentOf, runForm } from "~/services/admin/forms.server";
import { formFailure } from "~/utils/forms.server";
import { requirePermission } from "~/utils/auth.server";
import { now } from "~/utils/clock.server";
import { db } from "~/utils/db.server";
import { can } from "~/utils/permissions";

export const meta: MetaFunction = () => [{ title: "Hari libur · Giliran" }];
export const links = () => [{ rel: "stylesheet", href: "/css/admin.css" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "admin:read");
  const facility = await loadFacility(db());
  const thisYear = todayKey(now(), facility.time_zone).slice(0, 4);
  const asked = new URL(request.url).searchParams.get("tahun") ?? "";
  const year = /^\d{4}$/.test(asked) ? asked : thisYear;
  const [closures, years] = await Promise.all([listClosures(db(), year), listClosureYears(db())]);
  const allYears = [...new Set([...years, thisYear, String(Number(thisYear) + 1), year])].sort();
  return {
    year,
    years: allYears,
    closures: closures.map((c) => ({ date: c.date, kind: c.kind, name: c.name })),
    canWrite: can(user, "admin:write"),
  };
}

async function csvText(form: FormData): Promise<string | null> {
  const file = form.get("file");
  if (file && typeof file !== "string" && file.size > 0) {
    if (file.size > CSV_MAX_BYTES) return null;
    return file.text();
  }
  const pasted = form.get("csv");
  if (typeof pasted === "string" && pasted.length > CSV_MAX_BYTES) return null;
  return typeof pasted === "string" ? pasted : "";
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, "admin:write");
  const form = await request.formData();
  const ctx = adminCtx(user, context);
  const intent = intentOf(form);
  if (intent === "import") {
    const text = await csvText(form);
    if (text === null) return data({ kind: "import" as const, ok: false as const, problems: [{ line: 0, messageKey: "admin.closure.csv.tooLarge", params: { kb: CSV_MAX_BYTES / 1024 } }] }, { status: 400 });
    if (!text.trim()) return data({ kind: "import" as const, ok: false as const, problems: [{ line: 0, messageKey: "admin.closure.csv.missing", params: {} }] }, { status: 400 });
    const result = await importClosures(db(), ctx, text);
    if (!result.ok) return data({ kind: "import" as const, ok: false as const, problems: result.problems }, { status: 400 });
    return data({ kind: "import" as const, ...result });
  }
  const values = formToObject(form);
  if (intent === "add") {
    const outcome = await runForm(() => addClosure(db(), ctx, ClosureSchema.parse({ date: values.date, kind: values.kind, name: values.name })));
    if (!outcome.ok) return formFailure(outcome, { values: values as Record<string, string | string[]>, kind: "add" as const });
    const { closure, bookings } = outcome.value;
    return redirect(`/admin/libur?tahun=${closure.date.slice(0, 4)}&ditambah=${closure.date}${bookings ? `&pemesanan=${bookings}` : ""}`);
  }
  if (intent === "remove") {
    const date = LocalDate.safeParse(values.date);
    if (!date.success) throw new Response("Not found", { status: 404 });
    const outcome = await runForm(() => removeClosure(db(), ctx, date.data));
    if (!outcome.ok) return formFailure(outcome, { values: values as Record<string, string | string[]>, kind: "remove" as const });
    return redirect(`/admin/libur?tahun=${date.data.slice(0, 4)}&dihapus=${date.data}`);
  }
  throw new Response("Bad request", { status: 400 });
}

interface Problem {
  line: number;
  messageKey: string;
  params?: Record<string, string | number>;
}

export default function AdminClosures() {
  const { t, lang } = useI18n();
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as
    | { kind: "import"; ok: false; problems: Problem[] }
    | { kind: "import"; ok: true; added: string[]; updated: string[]; unchanged: string[]; bookings: Array<{ date: string; count: number }> }
    | { kind: "add" | "remove"; ok: false; errors: Errors; values: Record<string, unknown> }
    | undefined;
  const [search] = useSearchParams();
  const nav = useNavigation();
  const addFailure = actionData?.kind === "add" && !actionData.ok ? actionData : undefined;
  const errors: Errors = addFailure?.errors ?? {};
  const dateLabel = (key: string) => {
    const [y, m, day] = key.split("-").map(Number);
    return formatDateLong(Date.UTC(y, m - 1, day, 12), lang, "UTC");
  };
  const added = search.get("ditambah");
  return (
    <>
      <AdminSubnav />
      <h1>{t("admin.closures.title")}</h1>
      <ReadOnlyNote canWrite={d.canWrite} />
      <SavedNote show={!!added} messageKey="admin.closures.added" params={{ date: added ? dateLabel(added) : "" }} />
      {search.get("pemesanan") ? <p className="alert alert-warn">{t("admin.closures.bookingsOnDay", { n: Number(search.get("pemesanan")) })}</p> : null}
      <SavedNote show={search.has("dihapus")} messageKey="admin.closures.removed" params={{ date: search.get("dihapus") ? dateLabel(String(search.get("dihapus"))) : "" }} />

      <nav className="admin-years" aria-label={t("admin.closures.years")}>
        {d.years.map((y) => (
          <Link key={y} to={`?tahun=${y}`} aria-current={y === d.year ? "page" : undefined} className={y === d.year ? "active" : undefined}>
            {y}
          </Link>
        ))}
      </nav>

      {d.canWrite ? (
        <p className="row">
          <a className="button small" href="#tambah">
            {t("admin.closures.add")}
          </a>
          <a className="button small" href="#impor">
            {t("admin.closures.import")}
          </a>
        </p>
      ) : null}
      <section className="card">
        <h2>{t("admin.closures.ofYear", { year: d.year, n: d.closures.length })}</h2>
        {d.closures.length ? (
          <ul className="admin-list">
            {d.closures.map((c) => (
              <li key={c.date} className="admin-item">
                <div className="admin-item-main">
                  <strong>{dateLabel(c.date)}</strong>
                  <span className="admin-item-sub">
                    {c.name} <span className={`admin-pill admin-kind-${c.kind}`}>{t(`admin.closure.kind.${c.kind}`)}</span>
                  </span>
                </div>
                {d.canWrite ? (
                  <Form method="post" className="admin-item-meta">
                    <input type="hidden" name="intent" value="remove" />
                    <input type="hidden" name="date" value={c.date} />
                    <button type="submit" className="button small danger" aria-label={t("admin.closures.removeLabel", { date: dateLabel(c.date) })}>
                      {t("admin.closures.remove")}
                    </button>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{t("admin.closures.none")}</p>
        )}
      </section>

      {d.canWrite ? (
        <>
          <section className="card" id="tambah">
            <h2>{t("admin.closures.add")}</h2>
            <Form method="post" noValidate className="stack">
              <FormAlert errors={errors} />
              <input type="hidden" name="intent" value="add" />
              <div className="grid-2">
                <Field name="date" label={t("admin.closure.date")} type="date" defaultValue={shownValue(addFailure, "date", "")} error={errors.date} required />
                <SelectField name="kind" label={t("admin.closure.kind")} defaultValue={shownValue(addFailure, "kind", "holiday")} error={errors.kind}>
                  {CLOSURE_KINDS.map((k) => (
                    <option key={k} value={k}>
                      {t(`admin.closure.kind.${k}`)}
                    </option>
                  ))}
                </SelectField>
              </div>
              <Field name="name" label={t("admin.closure.name")} defaultValue={shownValue(addFailure, "name", "")} error={errors.name} required maxLength={120} />
              <div>
                <button type="submit" className="button primary" disabled={nav.state !== "idle"}>
                  {t("admin.closures.addSubmit")}
                </button>
              </div>
            </Form>
          </section>

          <section className="card" id="impor">
            <h2>{t("admin.closures.import")}</h2>
            <p className="muted small">{t("admin.closures.importHelp")}</p>
            <pre className="admin-csv-sample">{"tanggal,jenis,nama\n2027-01-01,libur nasional,Tahun Baru\n2027-02-08,cuti bersama,Imlek"}</pre>
            {actionData?.kind === "import" && !actionData.ok ? (
              <div className="alert alert-error" role="alert">
                <p className="admin-alert-line">
                  <strong>{t("admin.closures.importRefused")}</strong>
                </p>
                <ul className="admin-problems">
                  {actionData.problems.map((p) => (
                    <li key={`${p.line}-${p.messageKey}`}>
                      {p.line ? `${t("admin.closures.line", { n: p.line })}: ` : ""}
                      {t(p.messageKey, p.params)}
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
            {actionData?.kind === "import" && actionData.ok ? (
              <div className="alert alert-ok" role="status">
                <p className="admin-alert-line">
                  {t("admin.closures.imported", { added: actionData.added.length, updated: actionData.updated.length, unchanged: actionData.unchanged.length })}
                </p>
                {actionData.updated.length ? <p className="admin-alert-line">{t("admin.closures.importedUpdated", { dates: actionData.updated.join(", ") })}</p> : null}
                {actionData.bookings.length ? (
                  <p className="admin-alert-line">
                    {t("admin.closures.importedBookings", { list: actionData.bookings.map((b) => `${b.date} (${b.count})`).join(", ") })}
                  </p>
                ) : null}
              </div>
            ) : null}
            <Form method="post" encType="multipart/form-data" className="stack">
              <input type="hidden" name="intent" value="import" />
              <label className="field">
                <span>{t("admin.closures.file")}</span>
                <input type="file" name="file" accept=".csv,text/csv,text/plain" />
              </label>
              <TextAreaField name="csv" label={t("admin.closures.paste")} rows={5} spellCheck={false} hint={t("admin.closures.pasteHint")} />
              <div>
                <button type="submit" className="button primary" disabled={nav.state !== "idle"}>
                  {t("admin.closures.importSubmit")}
                </button>
              </div>
            </Form>
          </section>
        </>
      ) : null}
    </>
  );
}
