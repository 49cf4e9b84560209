/** Create or edit a user: name, email and/or phone (either logs in), role, IKM (members), language. */
import { Form, useNavigation } from "@remix-run/react";
import { useT } from "~/i18n/react";
import { type Errors, Field, FormAlert, SelectField, shownValue } from "./AdminForm";

export interface UserFormValues {
  name: string;
  email: string | null;
  phone: string | null;
  role: string;
  ikmId: number | null;
  language: string;
}

export function AdminUserForm({
  user,
  ikms,
  failure,
  canWrite,
  submitLabel,
}: {
  user: UserFormValues | null;
  ikms: Array<{ id: number; name: string }>;
  failure?: { errors?: Errors; values?: Record<string, unknown> };
  canWrite: boolean;
  submitLabel: string;
}) {
  const t = useT();
  const nav = useNavigation();
  const errors = failure?.errors ?? {};
  const v = (name: keyof UserFormValues, fallback?: string | number | null) => shownValue(failure, name, fallback === undefined ? user?.[name] : fallback);
  return (
    <Form method="post" noValidate className="stack">
      <input type="hidden" name="intent" value="save" />
      <FormAlert errors={errors} />
      <fieldset className="stack admin-plain" disabled={!canWrite}>
        <Field name="name" label={t("admin.user.name")} defaultValue={v("name")} error={errors.name} required maxLength={120} autoComplete="off" />
        <p className="muted small">{t("admin.user.loginHelp")}</p>
        <div className="grid-2">
          <Field name="email" label={t("admin.user.email")} type="email" inputMode="email" defaultValue={v("email")} error={errors.email} maxLength={254} autoComplete="off" />
          <Field name="phone" label={t("admin.user.phone")} type="tel" inputMode="tel" defaultValue={v("phone")} error={errors.phone} maxLength={20} autoComplete="off" hint={t("admin.v.phoneHint")} />
          <SelectField name="role" label={t("admin.user.role")} defaultValue={v("role", user?.role ?? "ikm")} error={errors.role}>
            {["ikm", "technician", "manager", "admin"].map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </SelectField>
          <SelectField name="ikmId" label={t("admin.user.ikm")} defaultValue={v("ikmId")} error={errors.ikmId} hint={t("admin.user.ikmHint")}>
            <option value="">{t("admin.user.noIkm")}</option>
            {ikms.map((i) => (
              <option key={i.id} value={i.id}>
                {i.name}
              </option>
            ))}
          </SelectField>
          <SelectField name="language" label={t("admin.user.language")} defaultValue={v("language", user?.language ?? "id")} error={errors.language}>
            <option value="id">{t("lang.id")}</option>
            <option value="en">{t("lang.en")}</option>
          </SelectField>
        </div>
      </fieldset>
      {canWrite ? (
        <div className="admin-actions">
          <button type="submit" className="button primary" disabled={nav.state !== "idle"}>
            {nav.state !== "idle" && nav.formMethod === "POST" ? t("common.loading") : submitLabel}
          </button>
        </div>
      ) : null}
    </Form>
  );
}

/** A temporary password, shown once after it is made. */
export function TemporaryPassword({ password, name }: { password: string; name: string }) {
  const t = useT();
  return (
    <div className="alert alert-ok admin-password" role="status">
      <p className="admin-alert-line">{t("admin.user.tempPasswordFor", { name })}</p>
      <p className="admin-alert-line">
        <code className="admin-secret">{password}</code>
      </p>
      <p className="admin-alert-line small">{t("admin.user.tempPasswordOnce")}</p>
    </div>
  );
}
