import { Form, type FormProps, useLocation } from "@remix-run/react";
import { type FormEvent, useId, useRef, useState } from "react";

import { FormError } from "~/components/FormField";
import { type Confirmation, CONFIRM_FIELD, type ConfirmationStep } from "~/utils/confirm";

/** Marks one submit button of a ConfirmForm as needing confirmation (the others submit at once). */
export function confirmAttrs(c: Confirmation) {
  return { "data-confirm-title": c.title, "data-confirm-message": c.message, "data-confirm-label": c.confirmLabel };
}

function fromButton(el: HTMLElement | null): Confirmation | null {
  const d = el?.dataset;
  return d?.confirmTitle && d.confirmMessage && d.confirmLabel ? { title: d.confirmTitle, message: d.confirmMessage, confirmLabel: d.confirmLabel } : null;
}

/**
 * A form whose irreversible submission asks first. With JavaScript a native modal <dialog> names
 * what will happen (focus starts on "Hủy", Esc cancels); confirming submits the same form with the
 * same button and `confirm=1`. Without JavaScript the form goes out unconfirmed and the server
 * answers a confirmation step (ConfirmStep) instead of acting.
 *
 * `confirm` applies to every submit button; or mark single buttons with `confirmAttrs(…)`.
 */
export function ConfirmForm({ confirm, children, onSubmit, ...props }: FormProps & { confirm?: Confirmation }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const flag = useRef<HTMLInputElement>(null);
  const pending = useRef<HTMLElement | null>(null);
  const confirmed = useRef(false);
  const [current, setCurrent] = useState<Confirmation | null>(null);
  const id = useId();

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    onSubmit?.(event);
    if (event.defaultPrevented) return;
    if (confirmed.current) {
      confirmed.current = false;
      return;
    }
    const submitter = (event.nativeEvent as SubmitEvent).submitter ?? null;
    const wanted = fromButton(submitter) ?? confirm ?? null;
    if (!wanted || !dialog.current?.showModal) return;
    event.preventDefault();
    pending.current = submitter;
    setCurrent(wanted);
    dialog.current.showModal();
  };

  const go = () => {
    const form = flag.current?.form;
    if (!form || !flag.current) return;
    dialog.current?.close();
    confirmed.current = true;
    flag.current.value = "1";
    // Remix reads the form synchronously inside the submit event, so the flag can be cleared
    // right after: a later submission (after an error) asks again.
    form.requestSubmit(pending.current instanceof HTMLButtonElement || pending.current instanceof HTMLInputElement ? pending.current : undefined);
    flag.current.value = "";
    confirmed.current = false;
  };

  return (
    <Form {...props} onSubmit={handleSubmit}>
      <input ref={flag} type="hidden" name={CONFIRM_FIELD} value="" />
      {children}
      <dialog ref={dialog} className="confirm-dialog" aria-labelledby={`${id}-t`} aria-describedby={`${id}-m`} onClose={() => setCurrent(null)}>
        <h2 id={`${id}-t`}>{current?.title}</h2>
        <p id={`${id}-m`}>{current?.message}</p>
        <div className="actions">
          <button type="button" className="btn" onClick={go}>
            {current?.confirmLabel}
          </button>
          {/* The safe choice takes the focus. */}
          <button type="button" className="btn secondary" autoFocus onClick={() => dialog.current?.close()}>
            Hủy
          </button>
        </div>
      </dialog>
    </Form>
  );
}

/**
 * The confirmation step without JavaScript: the consequence, and a button that sends the same
 * fields again with `confirm=1`. "Hủy" goes back to the page without posting anything.
 */
export function ConfirmStep({ step }: { step: ConfirmationStep["confirmation"] }) {
  const location = useLocation();
  const id = useId();
  return (
    <section className="card confirm-step" role="alert" aria-labelledby={`${id}-t`}>
      <h2 id={`${id}-t`} style={{ marginTop: 0 }}>
        {step.title}
      </h2>
      <p>{step.message}</p>
      <Form method="post" className="actions">
        {step.carry.map(([name, value], i) => (
          <input key={i} type="hidden" name={name} value={value} />
        ))}
        <input type="hidden" name={CONFIRM_FIELD} value="1" />
        <button type="submit" className="btn">
          {step.confirmLabel}
        </button>
        <a className="btn secondary" href={location.pathname + location.search.replace(/^\?index(&|$)/, "?").replace(/^\?$/, "")}>
          Hủy
        </a>
      </Form>
    </section>
  );
}

/** What an action answered when it did not redirect: a refusal, or a confirmation step. */
export type FormAnswer = { ok?: boolean; formError?: string } | ConfirmationStep | null | undefined;

/** The refusal or the confirmation step of the last submission (success arrives as a toast). */
export function FormFeedback({ result }: { result: FormAnswer }) {
  if (result && "confirmation" in result) return <ConfirmStep step={result.confirmation} />;
  return <FormError message={result && "formError" in result && result.ok === false ? result.formError : null} />;
}
