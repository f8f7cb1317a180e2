import { type FormErrors, useForm, type UseFormInput, type UseFormReturnType } from '@mantine/form';
import type { FormEvent } from 'react';

import { ApiError, type ApiErrorDetail } from './api';

export type FieldErrors<F extends string> = Partial<Record<F, string>>;

/** The values of a form: plain fields (strings, booleans, string lists such as the token scopes). */
type FormValues = Record<string, unknown>;
export type AppForm<Values extends FormValues> = UseFormReturnType<Values>;
export type FieldOf<Values extends FormValues> = keyof Values & string;

/**
 * `@mantine/form` with the app's conventions. `name` keeps two forms on one page apart (field
 * nodes are found by it). `getInputProps(field)` spreads into a Mantine input: value, onChange,
 * error (tied to the input with `aria-describedby`), the field's `name`, and `aria-invalid`, which
 * Mantine's PasswordInput does not set by itself. Validation runs on submit; a corrected field
 * stops announcing its old problem at once.
 */
export function useAppForm<Values extends FormValues>(
  name: string,
  input: Omit<UseFormInput<Values>, 'name' | 'mode' | 'enhanceGetInputProps'>,
): AppForm<Values> {
  return useForm<Values>({
    ...input,
    name,
    mode: 'controlled',
    enhanceGetInputProps: ({ inputProps, field }) => ({
      name: field,
      'aria-invalid': inputProps.error ? true : undefined,
    }),
  });
}

/**
 * Moves focus to the first field (in the order of the form's values) that has a message; a field
 * that is a group (checkboxes) focuses its first control. Returns whether any field has one.
 */
export function focusFirstError<Values extends FormValues>(form: AppForm<Values>, errors: FormErrors): boolean {
  // Mantine keeps only fields that have a message (its validation drops empty ones).
  const first = Object.keys(form.getInitialValues()).find((field) => Object.hasOwn(errors, field));
  if (first === undefined) return false;
  const node = form.getInputNode<HTMLElement, FieldOf<Values>>(first);
  const control = node?.matches('input, textarea, select')
    ? node
    : (node?.querySelector<HTMLElement>('input, textarea, select') ?? node);
  control?.focus();
  return true;
}

/** `form.onSubmit` that also moves focus to the first field the validation rejected. */
export function submitWith<Values extends FormValues>(
  form: AppForm<Values>,
  handler: (values: Values) => void,
): (event?: FormEvent<HTMLFormElement>) => void {
  return form.onSubmit(handler, (errors) => focusFirstError(form, errors));
}

/** A rejected submit, split into what the form's fields show and what only the form can. */
export interface FormProblem<F extends string> {
  fields: FieldErrors<F>;
  unplaced: readonly ApiErrorDetail[];
  showForm: boolean;
}

/**
 * Splits a failed request into messages for the form's own fields (`error.details[].field`,
 * mapped through `fieldOf` from the API's name to the form's) and what is left for the form as a
 * whole: the error itself when no detail fits a field, or the details that fit none.
 */
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

/**
 * The bridge from a rejected request to the form: the API's per-field `details` become the
 * fields' errors (focus goes to the first), and the rest is returned for the form-level alert.
 */
export function showApiErrors<Values extends FormValues>(
  form: AppForm<Values>,
  error: unknown,
  fieldOf: Readonly<Record<string, FieldOf<Values>>>,
): FormProblem<FieldOf<Values>> {
  const problem = splitApiError(error, fieldOf);
  form.setErrors(problem.fields);
  focusFirstError(form, problem.fields);
  return problem;
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

/** The password length rule (docs/API.md, "Accounts and authentication"); strength is judged by the API (zxcvbn). */
export function passwordLengthProblem(password: string): string | undefined {
  if (password.length === 0) return 'Enter a password.';
  if (password.length < PASSWORD_MIN_LENGTH) return `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (password.length > PASSWORD_MAX_LENGTH) return `Use at most ${PASSWORD_MAX_LENGTH} characters.`;
  return undefined;
}
