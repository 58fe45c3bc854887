import type { ReactNode } from "react";

/** A labelled input with its hint and error, wired for screen readers. */
export function Field(props: {
  name: string;
  label: string;
  error?: string;
  hint?: ReactNode;
  children?: ReactNode;
  type?: string;
  defaultValue?: string | number;
  required?: boolean;
  autoComplete?: string;
  inputMode?: "text" | "numeric" | "decimal" | "tel" | "email";
  maxLength?: number;
}) {
  const id = `f-${props.name}`;
  const described = [props.hint ? `${id}-hint` : null, props.error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div>
      <label htmlFor={id}>
        {props.label}
        {props.required ? <span aria-hidden="true"> *</span> : null}
      </label>
      {props.hint ? (
        <p className="hint" id={`${id}-hint`} style={{ margin: "0 0 .25rem" }}>
          {props.hint}
        </p>
      ) : null}
      {props.children ?? (
        <input
          id={id}
          name={props.name}
          type={props.type ?? "text"}
          defaultValue={props.defaultValue}
          required={props.required}
          autoComplete={props.autoComplete}
          inputMode={props.inputMode}
          maxLength={props.maxLength}
          aria-invalid={props.error ? true : undefined}
          aria-describedby={described}
        />
      )}
      {props.error ? (
        <p className="field-error" id={`${id}-error`}>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

export function FormError({ message }: { message?: string | null }) {
  if (!message) return null;
  return (
    <div className="alert error" role="alert">
      {message}
    </div>
  );
}
