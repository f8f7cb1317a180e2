import { ErrorCode } from '@atrium/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useEffectEvent, useRef, useState } from 'react';

import { notifySuccess } from '../../components/ui/notify';
import { ApiError } from '../../lib/api';
import { type AppForm, type FormProblem, sentence, showApiErrors } from '../../lib/forms';
import { createPost, fetchVersioned, updatePost, type Versioned } from './api/writing.api';
import { useUserId, writingKeys } from './api/writing.queries';
import { changedFields, changesOf, type EditorValues, newPostOf, reconcile, valuesOf } from './editor-values';

/** How long after the last keystroke a draft saves itself. */
export const AUTOSAVE_DELAY_MS = 3000;

export type SaveState =
  | { kind: 'idle' }
  | { kind: 'saving'; auto: boolean }
  | { kind: 'saved'; at: Date }
  /** `sent`: what was refused (an autosave waits for a change before trying again). */
  | { kind: 'failed'; error: unknown; problem: FormProblem<string> | undefined; sent: EditorValues }
  /** 412: someone saved the post since it was read. `theirs` once it has been fetched. */
  | { kind: 'conflict'; theirs: Versioned | undefined; error: unknown };

const FIELD_OF: Record<string, keyof EditorValues> = {
  title: 'title',
  slug: 'slug',
  body: 'body',
  excerpt: 'excerpt',
  categoryId: 'categoryId',
  tagIds: 'tagIds',
  visibility: 'visibility',
  featured: 'featured',
  commentsOpen: 'commentsOpen',
  coverMediaId: 'coverMediaId',
};

interface Options {
  form: AppForm<EditorValues>;
  initial: Versioned | undefined;
  /** Called once a new post has its id (the page moves to its address). */
  onCreated: (saved: Versioned) => void;
}

/**
 * The editor's saving: create, then edits with `If-Match`, a save a few seconds after typing stops
 * (drafts only: a published post changes when its writer says so), and the 412 conflict.
 */
export function usePostEditor({ form, initial, onCreated }: Options) {
  const queryClient = useQueryClient();
  const user = useUserId();
  const [base, setBaseState] = useState<Versioned | undefined>(initial);
  const [state, setState] = useState<SaveState>({ kind: 'idle' });
  const baseRef = useRef(base);
  const [saved, setSavedState] = useState<EditorValues>(() => (initial ? valuesOf(initial.post) : form.getValues()));
  const savedRef = useRef(saved);
  const inFlight = useRef<Promise<Versioned | undefined> | undefined>(undefined);

  const setBase = useCallback(
    (next: Versioned) => {
      baseRef.current = next;
      setBaseState(next);
      queryClient.setQueryData(writingKeys.post(user, next.post.id), next);
      void queryClient.invalidateQueries({ queryKey: writingKeys.minePrefix(user) });
    },
    [queryClient, user],
  );
  const setSaved = (values: EditorValues) => {
    savedRef.current = values;
    setSavedState(values);
  };

  const values = form.getValues();
  const dirty = changedFields(saved, values).length > 0;
  const isDraft = !base || base.post.status === 'draft';

  const run = async (auto: boolean): Promise<Versioned | undefined> => {
    const sent = form.getValues();
    const current = baseRef.current;
    if (current && changedFields(savedRef.current, sent).length === 0) return current;
    setState({ kind: 'saving', auto });
    try {
      const next = current
        ? await updatePost(current.post.id, changesOf(savedRef.current, sent), current.etag)
        : await createPost(newPostOf(sent));
      const merged = reconcile(sent, form.getValues(), valuesOf(next.post));
      setSaved(merged.saved);
      form.setValues(merged.current);
      setBase(next);
      setState({ kind: 'saved', at: new Date() });
      // An autosave says so in the status line only; a save asked for gets a toast too.
      if (!auto) notifySuccess(next.post.status === 'draft' ? 'Draft saved.' : 'Changes saved.');
      if (!current) onCreated(next);
      return next;
    } catch (error) {
      if (error instanceof ApiError && error.code === ErrorCode.PRECONDITION_FAILED && current) {
        setState({ kind: 'conflict', theirs: undefined, error });
        void fetchVersioned(current.post.id).then(
          (theirs) => setState((now) => (now.kind === 'conflict' ? { ...now, theirs } : now)),
          (fetchError: unknown) => setState((now) => (now.kind === 'conflict' ? { ...now, error: fetchError } : now)),
        );
        return undefined;
      }
      // An autosave does not move focus away from the text being typed.
      const problem = auto ? undefined : showApiErrors(form, error, FIELD_OF);
      if (auto) form.setErrors(showApiErrorsQuietly(error));
      setState({ kind: 'failed', error, problem, sent });
      return undefined;
    }
  };

  /** Saves what is on screen (after any save already under way). */
  const save = async (auto = false): Promise<Versioned | undefined> => {
    while (inFlight.current) await inFlight.current;
    const promise = run(auto);
    inFlight.current = promise;
    try {
      return await promise;
    } finally {
      inFlight.current = undefined;
    }
  };

  const conflict = state.kind === 'conflict';
  const saving = state.kind === 'saving';
  const titleFilled = values.title.trim() !== '';
  const slugOk = values.slug === '' || /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(values.slug);
  const refusedAsIs = state.kind === 'failed' && changedFields(state.sent, values).length === 0;
  const autosaveDue = isDraft && dirty && !conflict && !saving && titleFilled && slugOk && !refusedAsIs;
  const autosave = useEffectEvent(() => void save(true));

  // A few seconds after the last change (each change restarts the wait).
  useEffect(() => {
    if (!autosaveDue) return undefined;
    const timer = window.setTimeout(autosave, AUTOSAVE_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [autosaveDue, values]);

  /** Keep mine: write the screen's text over theirs (their version's tag as If-Match). */
  const keepMine = async () => {
    if (state.kind !== 'conflict' || !state.theirs) return undefined;
    const theirs = state.theirs;
    baseRef.current = theirs;
    setBaseState(theirs);
    setSaved(valuesOf(theirs.post));
    return save(false);
  };

  /** Take theirs: their version replaces the screen's. */
  const takeTheirs = () => {
    if (state.kind !== 'conflict' || !state.theirs) return;
    const theirs = valuesOf(state.theirs.post);
    setBase(state.theirs);
    setSaved(theirs);
    form.setValues(theirs);
    form.clearErrors();
    setState({ kind: 'idle' });
  };

  /** After an action (publish …) answered with the post: the new version and its tag. */
  const adopt = (next: Versioned) => setBase(next);

  return {
    base,
    state,
    dirty,
    saving,
    save,
    keepMine,
    takeTheirs,
    adopt,
    resetState: () => setState({ kind: 'idle' }),
  };
}

/** The per-field messages of an autosave's refusal, without moving focus. */
function showApiErrorsQuietly(error: unknown): Partial<Record<keyof EditorValues, string>> {
  const fields: Partial<Record<keyof EditorValues, string>> = {};
  if (!(error instanceof ApiError)) return fields;
  for (const detail of error.details) {
    const field = FIELD_OF[detail.field];
    if (field) fields[field] ??= sentence(detail.message);
  }
  return fields;
}
