import { ErrorCode } from '@atrium/contracts';
import { Button, Group, Stack, Textarea } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';

import { FormErrorAlert } from '../../../components/ui/FormErrorAlert';
import { ApiError } from '../../../lib/api';
import { type FormProblem, showApiErrors, submitWith, useAppForm } from '../../../lib/forms';
import { COMMENT_MAX_LENGTH } from '../comments.format';

type Values = { body: string };
/** The API's field names → this form's (a reply's `parentId` and a post's `postId` have no field: the alert lists them). */
const API_FIELDS: Record<string, 'body'> = { body: 'body' };

/** Why the API refused a comment, said for a reader (the API's own words otherwise). */
function refusal(error: unknown): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  if (error.code === ErrorCode.EMAIL_NOT_VERIFIED)
    return 'Confirm your email address first: open the link we sent you, then try again.';
  if (hasDetail(error, 'COMMENTS_CLOSED')) return 'Comments have been closed on this post.';
  return undefined;
}

/** Whether the API's answer names this reason (`error.details[].code`), such as `COMMENTS_CLOSED`. */
export const hasDetail = (error: unknown, code: string): boolean =>
  error instanceof ApiError && error.details.some((detail) => detail.code === code);

interface CommentFormProps {
  /** Keeps the forms of one page apart (`comment-new`, `reply-<id>`, `edit-<id>`). */
  name: string;
  /** The field's label: "Your comment", "Your reply to ada". */
  label: string;
  submitLabel: string;
  /** The alert's title when the API refuses: "Your comment was not posted". */
  errorTitle: string;
  initialBody?: string;
  /** Sends the text; a rejection's `details` are shown at the field, the rest above the form. */
  onSubmit: (body: string) => Promise<unknown>;
  /** Called after a refusal (the section learns that comments were closed, say). */
  onRefused?: (error: unknown) => void;
  /** A reply or an edit can be put away (focus goes back to where it came from). */
  onCancel?: () => void;
  /** A reply or an edit opens with the cursor in the field. */
  autoFocus?: boolean;
}

/**
 * Writing a comment, a reply or a new text for one: Markdown in a text area, checked for being
 * empty or too long before it is sent; what the API refuses is shown at the field or above it.
 */
export function CommentForm({
  name,
  label,
  submitLabel,
  errorTitle,
  initialBody = '',
  onSubmit,
  onRefused,
  onCancel,
  autoFocus = false,
}: CommentFormProps) {
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<{ error: unknown; problem: FormProblem<string> }>();
  const fieldRef = useRef<HTMLTextAreaElement>(null);
  const form = useAppForm<Values>(name, {
    initialValues: { body: initialBody },
    validate: ({ body }) => ({
      body: !body.trim()
        ? 'Write something first.'
        : body.length > COMMENT_MAX_LENGTH
          ? `Use at most ${COMMENT_MAX_LENGTH.toLocaleString()} characters.`
          : undefined,
    }),
  });

  useEffect(() => {
    if (!autoFocus) return;
    const field = fieldRef.current;
    field?.focus();
    // An edit starts at the end of the text.
    field?.setSelectionRange(field.value.length, field.value.length);
  }, [autoFocus]);

  const submit = submitWith(form, ({ body }) => {
    if (pending) return;
    setPending(true);
    setFailure(undefined);
    onSubmit(body).then(
      () => {
        setPending(false);
        form.reset();
      },
      (error: unknown) => {
        setPending(false);
        const problem = showApiErrors(form, error, API_FIELDS);
        setFailure({ error, problem });
        onRefused?.(error);
      },
    );
  });

  return (
    <form onSubmit={submit} noValidate aria-label={label}>
      <Stack gap="sm">
        {failure?.problem.showForm ? (
          <FormErrorAlert
            title={errorTitle}
            message={refusal(failure.error)}
            error={failure.error}
            // A reason told in words needs no list of the API's details besides it.
            details={refusal(failure.error) === undefined ? failure.problem.unplaced : []}
            focusOnShow={Object.keys(failure.problem.fields).length === 0}
          />
        ) : null}
        <Textarea
          {...form.getInputProps('body')}
          ref={fieldRef}
          label={label}
          description="Markdown works: **bold**, _italic_, lists, > quotes, `code` and links."
          autosize
          minRows={3}
          maxRows={16}
          required
        />
        <Group gap="sm">
          <Button type="submit" loading={pending}>
            {submitLabel}
          </Button>
          {onCancel ? (
            <Button type="button" variant="default" onClick={onCancel}>
              Cancel
            </Button>
          ) : null}
        </Group>
      </Stack>
    </form>
  );
}
