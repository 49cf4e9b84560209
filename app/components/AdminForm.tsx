/** Building blocks of the administration forms: labelled fields with their error, notes, the section menu. */
import { Link, NavLink } from "@remix-run/react";
import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from "react";
import { useT } from "~/i18n/react";
import type { FormError } from "~/utils/form-errors";

export type FieldError = FormError | undefined;
export type Errors = Record<string, FieldError>;

/** What a failed admin form action returns. */
export interface FormFailureData {
  ok: false;
  errors: Errors;
  values: Record<string, unknown>;
}

/** The value to show in a field: what was just posted (after an error), else the record's. */
export function shownValue(failure: { values?: Record<string, unknown> } | undefined, name: string, fallback: string | number | null | undefined): string {
  const posted = failure?.values?.[name];
  if (typeof posted === "string") return posted;
  return fallback === null || fallback === undefined ? "" : String(fallback);
}

/** A checkbox's state: as just posted (after an error), else the record's. */
export function isChecked(failure: { values?: Record<string, unknown> } | undefined, name: string, fallback: boolean): boolean {
  if (failure?.values) return ["on", "1", "true"].includes(String(failure.values[name] ?? ""));
  return fallback;
}

export function ErrorText({ id, error }: { id: string; error: FieldError }) {
  const t = useT();
  if (!error) return null;
  return (
    <small id={id} className="field-error">
      {t(error.key, error.params)}
    </small>
  );
}

const SECTIONS = [
  ["/admin/mesin", "admin.nav.machines"],
  ["/admin/fasilitas", "admin.nav.facility"],
  ["/admin/libur", "admin.nav.closures"],
  ["/admin/ikm", "admin.nav.ikms"],
  ["/admin/pengguna", "admin.nav.users"],
  ["/admin/kualifikasi", "admin.nav.qualifications"],
  ["/admin/audit", "admin.nav.audit"],
] as const;

/** The administration sections, as a scrollable row of links above each admin page. */
export function AdminSubnav() {
  const t = useT();
  return (
    <nav className="admin-subnav" aria-label={t("admin.subnav")}>
      {SECTIONS.map(([to, key]) => (
        <NavLink key={to} to={to} prefetch="intent">
          {t(key)}
        </NavLink>
      ))}
    </nav>
  );
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, "name"> & {
  name: string;
  label: string;
  error?: FieldError;
  hint?: ReactNode;
};

/** A labelled input with its hint and its error (aria-invalid and aria-describedby set). */
export function Field({ name, label, error, hint, className, ...input }: InputProps) {
  const id = `f-${name.replace(/\W/g, "-")}`;
  const describedBy = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`field admin-field ${className ?? ""}`}>
      <label htmlFor={id}>{label}</label>
      <input id={id} name={name} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...input} />
      {hint ? (
        <small id={`${id}-hint`} className="muted">
          {hint}
        </small>
      ) : null}
      <ErrorText id={`${id}-error`} error={error} />
    </div>
  );
}

type SelectProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, "name"> & {
  name: string;
  label: string;
  error?: FieldError;
  hint?: ReactNode;
  children: ReactNode;
};

export function SelectField({ name, label, error, hint, children, ...select }: SelectProps) {
  const id = `f-${name.replace(/\W/g, "-")}`;
  const describedBy = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field admin-field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...select}>
        {children}
      </select>
      {hint ? (
        <small id={`${id}-hint`} className="muted">
          {hint}
        </small>
      ) : null}
      <ErrorText id={`${id}-error`} error={error} />
    </div>
  );
}

export function TextAreaField({
  name,
  label,
  error,
  hint,
  ...rest
}: { name: string; label: string; error?: FieldError; hint?: ReactNode } & Omit<React.TextareaHTMLAttributes<HTMLTextAreaElement>, "name">) {
  const id = `f-${name.replace(/\W/g, "-")}`;
  const describedBy = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field admin-field">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} name={name} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...rest} />
      {hint ? (
        <small id={`${id}-hint`} className="muted">
          {hint}
        </small>
      ) : null}
      <ErrorText id={`${id}-error`} error={error} />
    </div>
  );
}

export function CheckField({ name, label, defaultChecked, hint, disabled }: { name: string; label: string; defaultChecked: boolean; hint?: ReactNode; disabled?: boolean }) {
  const id = `f-${name.replace(/\W/g, "-")}`;
  return (
    <div>
      <label className="checkbox">
        <input type="checkbox" name={name} defaultChecked={defaultChecked} disabled={disabled} aria-describedby={hint ? `${id}-hint` : undefined} />
        <span>{label}</span>
      </label>
      {hint ? (
        <small id={`${id}-hint`} className="muted admin-check-hint">
          {hint}
        </small>
      ) : null}
    </div>
  );
}

/** An error that belongs to no single field (shown at the top of the form, announced). */
export function FormAlert({ errors }: { errors?: Errors }) {
  const t = useT();
  if (!errors) return null;
  const count = Object.keys(errors).filter((k) => k !== "_form").length;
  const form = errors._form;
  if (!form && !count) return null;
  return (
    <div className="alert alert-error" role="alert">
      {form ? <p className="admin-alert-line">{t(form.key, form.params)}</p> : null}
      {count ? <p className="admin-alert-line">{t("admin.form.fixFields", { n: count })}</p> : null}
    </div>
  );
}

/** The top of an admin list page: the section nav, the title, "add" for admins, the read-only note for managers. */
export function AdminListHead({ title, addLabel, addTo, canWrite }: { title: string; addLabel: string; addTo: string; canWrite: boolean }) {
  return (
    <>
      <AdminSubnav />
      <div className="admin-head">
        <h1>{title}</h1>
        {canWrite ? (
          <Link className="button primary" to={addTo}>
            {addLabel}
          </Link>
        ) : null}
      </div>
      <ReadOnlyNote canWrite={canWrite} />
    </>
  );
}

/** For managers, who may read but not change the settings. */
export function ReadOnlyNote({ canWrite }: { canWrite: boolean }) {
  const t = useT();
  if (canWrite) return null;
  return <p className="alert alert-info">{t("admin.readOnly")}</p>;
}

export function SavedNote({ show, messageKey = "admin.saved", params }: { show: boolean; messageKey?: string; params?: Record<string, string | number> }) {
  const t = useT();
  if (!show) return null;
  return (
    <p className="alert alert-ok" role="status">
      {t(messageKey, params)}
    </p>
  );
}
