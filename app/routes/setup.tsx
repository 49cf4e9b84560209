import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { type Errors, Field, FormAlert, shownValue } from "~/components/AdminForm";
import { useT } from "~/i18n/react";
import { PASSWORD_MIN, SetupSchema } from "~/schemas/admin";
import { formToObject } from "~/schemas/parse";
import { runForm } from "~/services/admin/forms.server";
import { formFailure } from "~/utils/forms.server";
import { createFirstAdmin, hasAnyUser } from "~/services/admin/setup.server";
import { now } from "~/utils/clock.server";
import { contextOf } from "~/utils/context";
import { db } from "~/utils/db.server";
import { createSession, sessionCookie } from "~/utils/session.server";

export const meta: MetaFunction = () => [{ title: "Persiapan awal · Giliran" }];
export const links = () => [{ rel: "stylesheet", href: "/css/admin.css" }];

/** Only while the database has no user at all; afterwards this page does not exist. */
export async function loader(_: LoaderFunctionArgs) {
  if (await hasAnyUser(db())) throw new Response("Not found", { status: 404 });
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  if (await hasAnyUser(db())) throw new Response("Not found", { status: 404 });
  const values = formToObject(await request.formData());
  const outcome = await runForm(() =>
    createFirstAdmin(db(), SetupSchema.parse({ name: values.name, email: values.email, password: values.password, passwordConfirm: values.passwordConfirm }), now(), contextOf(context).requestId),
  );
  // Never send the passwords back to the page.
  const { password: _p, passwordConfirm: _c, ...shown } = values;
  if (!outcome.ok) return formFailure(outcome, { values: shown as Record<string, string | string[]> });
  const session = await createSession(db(), outcome.value.id, "cookie", request.headers.get("User-Agent") ?? "", now());
  return redirect("/admin/fasilitas?setup=1", { headers: { "Set-Cookie": await sessionCookie().serialize(session.token) } });
}

export default function Setup() {
  const t = useT();
  const failure = useActionData<typeof action>();
  const nav = useNavigation();
  const errors: Errors = failure?.errors ?? {};
  return (
    <section className="card narrow stack">
      <h1>{t("admin.setup.title")}</h1>
      <p>{t("admin.setup.intro")}</p>
      <Form method="post" noValidate className="stack">
        <FormAlert errors={errors} />
        <Field name="name" label={t("admin.user.name")} defaultValue={shownValue(failure, "name", "")} error={errors.name} required maxLength={120} autoComplete="name" />
        <Field name="email" label={t("admin.user.email")} type="email" inputMode="email" defaultValue={shownValue(failure, "email", "")} error={errors.email} required maxLength={254} autoComplete="username" />
        <Field
          name="password"
          label={t("admin.setup.password")}
          type="password"
          error={errors.password}
          required
          minLength={PASSWORD_MIN}
          maxLength={200}
          autoComplete="new-password"
          hint={t("admin.setup.passwordHint", { n: PASSWORD_MIN })}
        />
        <Field name="passwordConfirm" label={t("admin.setup.passwordConfirm")} type="password" error={errors.passwordConfirm} required maxLength={200} autoComplete="new-password" />
        <button type="submit" className="button primary block" disabled={nav.state !== "idle"}>
          {nav.state !== "idle" ? t("common.loading") : t("admin.setup.submit")}
        </button>
      </Form>
    </section>
  );
}
