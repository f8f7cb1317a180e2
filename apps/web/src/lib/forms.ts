import { useRef, useState } from 'react';

import { ApiError, type ApiErrorDetail } from './api';

export type FieldErrors<F extends string> = Partial<Record<F, string>>;

type FieldElement = HTMLInputElement | HTMLTextAreaElement;

/**
 * Controlled fields with per-field error messages. `field(name)` spreads into a Mantine input:
 * value, onChange, error (Mantine ties it to the input with `aria-invalid` and
 * `aria-describedby`) and a ref, so `showErrors` can move focus to the first field in trouble.
 */
export function useFormFields<F extends string>(initial: Record<F, string>) {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors<F>>({});
  const elements = useRef<Partial<Record<F, FieldElement | null>>>({});

  const field = (name: F) => ({
    name,
    value: values[name],
    error: errors[name],
    // Mantine's PasswordInput links the message (aria-describedby) but does not mark the input invalid.
    'aria-invalid': errors[name] ? true : undefined,
    onChange: (event: { currentTarget: { value: string } }) => {
      const { value } = event.currentTarget;
      setValues((current) => ({ ...current, [name]: value }));
      // A corrected field stops announcing its old problem.
      setErrors((current) => (current[name] ? { ...current, [name]: undefined } : current));
    },
    ref: (element: FieldElement | null) => {
      elements.current[name] = element;
    },
  });

  /** Shows `next` and focuses the first field (in `order`) that has a message. */
  const showErrors = (next: FieldErrors<F>, order: readonly F[]) => {
    setErrors(next);
    const first = order.find((name) => next[name]);
    if (first) elements.current[first]?.focus();
    return first !== undefined;
  };

  const reset = (to: Record<F, string> = initial) => {
    setValues(to);
    setErrors({});
  };

  return { values, errors, field, showErrors, setErrors, reset };
}

/**
 * Splits a failed request into messages for the form's own fields (`error.details[].field`,
 * mapped through `fieldOf` from the API's name to the form's) and what is left for the form as a
 * whole: the error itself when no detail fits a field, or the details that fit none.
 */
/** A rejected submit, split into what the form's fields show and what only the form can. */
export interface FormProblem<F extends string> {
  fields: FieldErrors<F>;
  unplaced: readonly ApiErrorDetail[];
  showForm: boolean;
}

export function splitApiError<F extends string>(error: unknown, fieldOf: Readonly<Record<string, F>>): FormProblem<F> {
  const details = error instanceof ApiError ? error.details : [];
  const fields: FieldErrors<F> = {};
  const unplaced: ApiErrorDetail[] = [];
  for (const detail of details) {
    const name = Object.hasOwn(fieldOf, detail.field) ? fieldOf[detail.field] : undefined;
    if (name === undefined) unplaced.push(detail);
    // The first message per field: class-validator may report several for one value.
    else fields[name] ??= sentence(detail.message);
  }
  const placedAny = Object.keys(fields).length > 0;
  return { fields, unplaced, showForm: !placedAny || unplaced.length > 0 };
}

/** "password must be longer…" → "Password must be longer….": read as a sentence next to the field. */
export function sentence(message: string): string {
  const trimmed = message.trim();
  if (!trimmed) return trimmed;
  const capitalised = trimmed[0].toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}

/** Loose on purpose: the API decides; this only catches typos before a round trip. */
export const looksLikeEmail = (value: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim());

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

/** The length rule of DESIGN §5; strength is judged by the API (zxcvbn). */
export function passwordLengthProblem(password: string): string | undefined {
  if (password.length === 0) return 'Enter a password.';
  if (password.length < PASSWORD_MIN_LENGTH) return `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (password.length > PASSWORD_MAX_LENGTH) return `Use at most ${PASSWORD_MAX_LENGTH} characters.`;
  return undefined;
}
