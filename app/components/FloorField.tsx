import { useT } from "~/i18n/react";

/** A labelled form field with its hint and error (the error names the problem in words). */
export function FloorField({
  label,
  name,
  error,
  params,
  hint,
  children,
  className,
}: {
  label: string;
  name: string;
  error?: string;
  params?: Record<string, string | number>;
  hint?: string;
  children: React.ReactNode;
  className?: string;
}) {
  const t = useT();
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is the child passed in, inside the label
    <label className={`field ${className ?? ""}`}>
      <span>{label}</span>
      {children}
      {hint ? (
        <small className="muted" id={`${name}-hint`}>
          {hint}
        </small>
      ) : null}
      {error ? (
        <small id={`${name}-error`} className="field-error" role="alert">
          {t(error, params)}
        </small>
      ) : null}
    </label>
  );
}

/** aria attributes of an input whose field may carry an error. */
export function errorProps(name: string, errors: Record<string, string> | undefined) {
  return errors?.[name] ? { "aria-invalid": true as const, "aria-describedby": `${name}-error` } : {};
}
