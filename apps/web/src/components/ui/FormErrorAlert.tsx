import { Alert, Code, List, Stack, Text } from '@mantine/core';
import { useEffect, useRef } from 'react';

import { ApiError, type ApiErrorDetail } from '../../lib/api';
import { type FormProblem, sentence } from '../../lib/forms';
import { AlertIcon } from './icons';

interface FormErrorAlertProps {
  title: string;
  /** What to tell the person; defaults to the error's own message. */
  message?: string;
  error?: unknown;
  /** Problems the API reported for fields this form does not have. */
  details?: readonly ApiErrorDetail[];
  /** Move focus here when it appears (or the error changes): no single field is to blame. */
  focusOnShow?: boolean;
}

/**
 * Why a form was not accepted, as a whole. Announced when it appears (`role="alert"`) and
 * focusable, so a form can move focus to it when no single field is at fault.
 */
export function FormErrorAlert({ title, message, error, details = [], focusOnShow = false }: FormErrorAlertProps) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focusOnShow) ref.current?.focus();
  }, [focusOnShow, error]);

  const apiError = error instanceof ApiError ? error : undefined;
  const text = message ?? (error instanceof Error ? error.message : 'Something unexpected went wrong.');
  // A request id helps only when the server failed; a wrong password needs none.
  const requestId = apiError && (apiError.httpStatus ?? 500) >= 500 ? apiError.requestId : undefined;

  return (
    <Alert
      ref={ref}
      tabIndex={-1}
      color="red"
      variant="light"
      title={title}
      icon={<AlertIcon size={20} />}
      role="alert"
    >
      <Stack gap={6}>
        <Text size="sm">{text}</Text>
        {details.length > 0 ? (
          <List size="sm">
            {details.map((detail) => (
              <List.Item key={`${detail.field}:${detail.code}`}>{sentence(detail.message)}</List.Item>
            ))}
          </List>
        ) : null}
        {requestId ? (
          <Text size="sm">
            Request ID: <Code>{requestId}</Code>
          </Text>
        ) : null}
      </Stack>
    </Alert>
  );
}

/**
 * The usual form-level alert after a rejected submit: shown only when the API's problem is not
 * (only) about fields on the form, listing what no field shows, and taking focus when no field
 * is to blame.
 */
export function FormProblemAlert({
  title,
  error,
  problem,
}: {
  title: string;
  error: unknown;
  problem: FormProblem<string> | undefined;
}) {
  if (!problem?.showForm) return null;
  return (
    <FormErrorAlert
      title={title}
      error={error}
      details={problem.unplaced}
      focusOnShow={Object.keys(problem.fields).length === 0}
    />
  );
}
