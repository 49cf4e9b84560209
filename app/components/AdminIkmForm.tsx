/** Register or edit an IKM: name, owner, NIB (13 digits), phone (+62…), address, sector. */
import { Form, useNavigation } from "@remix-run/react";
import { useT } from "~/i18n/react";
import { type Errors, Field, FormAlert, shownValue } from "./AdminForm";

export interface IkmFormValues {
  name: string;
  ownerName: string;
  nib: string;
  phone: string;
  address: string;
  sector: string;
}

export function AdminIkmForm({
  ikm,
  failure,
  canWrite,
  submitLabel,
}: {
  ikm: IkmFormValues | null;
  failure?: { errors?: Errors; values?: Record<string, unknown> };
  canWrite: boolean;
  submitLabel: string;
}) {
  const t = useT();
  const nav = useNavigation();
  const errors = failure?.errors ?? {};
  const v = (name: keyof IkmFormValues) => shownValue(failure, name, ikm?.[name]);
  return (
    <Form method="post" noValidate className="stack">
      <input type="hidden" name="intent" value="save" />
      <FormAlert errors={errors} />
      <fieldset className="stack admin-plain" disabled={!canWrite}>
        <div className="grid-2">
          <Field name="name" label={t("admin.ikm.name")} defaultValue={v("name")} error={errors.name} required maxLength={120} autoComplete="organization" />
          <Field name="ownerName" label={t("admin.ikm.owner")} defaultValue={v("ownerName")} error={errors.ownerName} required maxLength={120} autoComplete="name" />
          <Field
            name="nib"
            label={t("admin.ikm.nib")}
            inputMode="numeric"
            defaultValue={v("nib")}
            error={errors.nib}
            required
            maxLength={20}
            autoComplete="off"
            hint={t("admin.ikm.nibHint")}
          />
          <Field name="phone" label={t("admin.ikm.phone")} type="tel" inputMode="tel" defaultValue={v("phone")} error={errors.phone} required maxLength={20} autoComplete="tel" hint={t("admin.v.phoneHint")} />
          <Field name="sector" label={t("admin.ikm.sector")} defaultValue={v("sector")} error={errors.sector} maxLength={120} hint={t("admin.ikm.sectorHint")} />
        </div>
        <Field name="address" label={t("admin.ikm.address")} defaultValue={v("address")} error={errors.address} maxLength={300} autoComplete="street-address" />
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
