import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { translate } from "~/i18n";
import { useT } from "~/i18n/react";
import { LoginSchema } from "~/schemas/auth";
import { fieldErrors } from "~/schemas/parse";
import { attemptLogin, getUser, safeRedirect } from "~/utils/auth.server";
import { now } from "~/utils/clock.server";
import { contextOf } from "~/utils/context";
import { db } from "~/utils/db.server";
import { homePath } from "~/utils/permissions";
import { UnitContactButtons } from "~/components/UnitContactButtons";
import { loadUnitContact } from "~/services/contact.server";
import { visitorLang } from "~/services/root.server";
import { createSession, sessionCookie } from "~/utils/session.server";

export const meta: MetaFunction = () => [{ title: "Masuk · Giliran" }];

/** Pass the action's Retry-After (rate limiting) on to the document response. */
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retry = actionHeaders.get("Retry-After");
  const out = new Headers();
  if (retry) out.set("Retry-After", retry);
  return out;
};

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  if (user) throw redirect(homePath(user.role));
  // No dead end: a forgotten password or no account yet leads to the unit, by WhatsApp or phone.
  const lang = visitorLang(request);
  return {
    forgot: await loadUnitContact(db(), translate(lang, "login.forgot.waText")),
    register: await loadUnitContact(db(), translate(lang, "login.noAccount.waText")),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = contextOf(context);
  const form = await request.formData();
  const input = { login: form.get("login") ?? "", password: form.get("password") ?? "" };
  const parsed = LoginSchema.safeParse(input);
  const login = typeof input.login === "string" ? input.login.slice(0, 254) : "";
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error), login }, { status: 400 });
  const result = await attemptLogin(parsed.data.login, parsed.data.password, ctx.ip, ctx.requestId);
  if (!result.ok) {
    if (result.reason === "rate_limited") {
      return data(
        { errors: { _form: "login.error.rateLimited" }, minutes: result.retryAfterMinutes, login },
        { status: 429, headers: { "Retry-After": String(result.retryAfterMinutes * 60) } },
      );
    }
    const key = result.reason === "inactive" ? "login.error.inactive" : "login.error.invalid";
    return data({ errors: { _form: key }, login }, { status: 401 });
  }
  const session = await createSession(db(), result.user.id, "cookie", request.headers.get("User-Agent") ?? "", now());
  const to = safeRedirect(form.get("redirectTo"), homePath(result.user.role as never));
  return redirect(to, { headers: { "Set-Cookie": await sessionCookie().serialize(session.token) } });
}

export default function Login() {
  const t = useT();
  const actionData = useActionData<typeof action>();
  const contact = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const nav = useNavigation();
  const errors: Record<string, string> = actionData?.errors ?? {};
  const minutes = actionData && "minutes" in actionData ? Number(actionData.minutes) : 15;
  const busy = nav.state !== "idle";
  return (
    <section className="card narrow">
      <h1>{t("login.title")}</h1>
      <p className="muted">{t("login.intro")}</p>
      {errors._form ? (
        <p className="alert alert-error" role="alert">
          {t(errors._form, { minutes })}
        </p>
      ) : null}
      <Form method="post" noValidate className="stack">
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
        <label className="field">
          <span>{t("login.login")}</span>
          <input
            name="login"
            type="text"
            inputMode="email"
            autoComplete="username"
            defaultValue={actionData?.login ?? ""}
            aria-invalid={errors.login ? true : undefined}
            aria-describedby={errors.login ? "login-error" : undefined}
            required
            maxLength={254}
          />
          {errors.login ? (
            <small id="login-error" className="field-error">
              {t(errors.login)}
            </small>
          ) : null}
        </label>
        <label className="field">
          <span>{t("login.password")}</span>
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            aria-invalid={errors.password ? true : undefined}
            aria-describedby={errors.password ? "password-error" : undefined}
            required
            maxLength={200}
          />
          {errors.password ? (
            <small id="password-error" className="field-error">
              {t(errors.password)}
            </small>
          ) : null}
        </label>
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? t("common.loading") : t("login.submit")}
        </button>
      </Form>
      <details className="login-help">
        <summary>{t("login.forgot.title")}</summary>
        <p>{contact.forgot ? t("login.forgot.text", { phone: contact.forgot.display }) : t("login.forgot.textNoPhone")}</p>
        {contact.forgot ? <UnitContactButtons contact={contact.forgot} className="login-help-actions" /> : null}
      </details>
      <p className="login-register">
        <strong>{t("login.noAccount.title")}</strong>{" "}
        {contact.register ? (
          <>
            {t("login.noAccount.text", { phone: contact.register.display })}{" "}
            <a href={contact.register.wa}>{t("contact.whatsapp")}</a>
          </>
        ) : (
          t("login.noAccount.textNoPhone")
        )}
      </p>
    </section>
  );
}
