import type { ReactNode } from "react";

/**
 * The format a date box expects, said in words: a browser shows its own locale's order in a date
 * picker (mm/dd/yyyy on an English system), and a browser without one shows a plain text box.
 */
export const DATE_HINT = "Ngày/tháng/năm (dd/mm/yyyy), ví dụ 07/10/2016; có thể chọn trên lịch.";
export const DATETIME_HINT = "Ngày/tháng/năm giờ:phút (dd/mm/yyyy hh:mm), giờ Việt Nam, ví dụ 30/06/2026 17:00.";

/** A labelled input with its hint and error, wired for screen readers. */
export function Field(props: {
  name: string;
  /** The input's id when `f-<name>` is taken on the page (two forms with a field of the same name). */
  id?: string;
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
  const id = props.id ?? `f-${props.name}`;
  const hint = props.hint ?? (props.type === "date" ? DATE_HINT : props.type === "datetime-local" ? DATETIME_HINT : undefined);
  const described = [hint ? `${id}-hint` : null, props.error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div>
      <label htmlFor={id}>
        {props.label}
        {props.required ? <span aria-hidden="true"> *</span> : null}
      </label>
      {hint ? (
        <p className="hint" id={`${id}-hint`} style={{ margin: "0 0 .25rem" }}>
          {hint}
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
