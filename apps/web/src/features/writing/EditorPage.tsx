import { ErrorCode } from '@atrium/contracts';
import {
  Anchor,
  Button,
  Checkbox,
  Group,
  MultiSelect,
  NativeSelect,
  Radio,
  Skeleton,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useId, useRef, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';

import { editPostPath, paths, revisionsPath } from '../../app/paths';
import { ApiErrorAlert } from '../../components/ui/ApiErrorAlert';
import { FormProblemAlert } from '../../components/ui/FormErrorAlert';
import { ApiError } from '../../lib/api';
import { submitWith, useAppForm } from '../../lib/forms';
import { useCan } from '../auth';
import type { CategoryNode, Versioned } from './api/writing.api';
import { useCategories, useTags, useVersionedPost } from './api/writing.queries';
import { AccessibilityPanel } from './components/AccessibilityPanel';
import { ConflictPanel } from './components/ConflictPanel';
import { CoverField, type CoverPreview } from './components/CoverField';
import { MarkdownField } from './components/MarkdownField';
import { PublishingPanel } from './components/PublishingPanel';
import { UnsavedChangesGuard } from './components/UnsavedChangesGuard';
import {
  EMPTY_VALUES,
  type EditorValues,
  EXCERPT_MAX,
  MAX_TAGS,
  SLUG_PATTERN,
  TITLE_MAX,
  valuesOf,
} from './editor-values';
import { type SaveState, usePostEditor } from './use-post-editor';
import classes from './Writing.module.css';
import { clockTime } from './writing.format';

const NEW = 'new';

/** `/write/new` and `/write/:id`: the editor, once the post to edit (if any) has loaded. */
export function EditorPage() {
  const { id = NEW } = useParams();
  const isNew = id === NEW;
  const post = useVersionedPost(isNew ? undefined : id);
  const location = useLocation();
  // The post this editor created, and on which visit of /write/new: the page moves to the post's
  // address without loading it again, and /write/new visited anew gets an editor of its own.
  const [made, setMade] = useState<{ id: string; on: string }>();
  const [generation, setGeneration] = useState(0);
  if (isNew && made && made.on !== location.key) {
    setMade(undefined);
    setGeneration(generation + 1);
  }
  const created = made?.id;

  if (!isNew && created !== id) {
    // Not a copy from an earlier visit: the post as it is now, with its ETag of now.
    if (post.isPending || (post.isFetching && !post.isFetchedAfterMount)) return <EditorSkeleton />;
    if (post.isError) {
      if (post.error instanceof ApiError && post.error.code === ErrorCode.NOT_FOUND) return <NoSuchPost />;
      return (
        <Stack gap="lg">
          <title>Edit post · Atrium</title>
          <Title order={1}>Edit post</Title>
          <ApiErrorAlert
            title="Could not load the post"
            error={post.error}
            onRetry={() => void post.refetch()}
            retrying={post.isFetching}
          />
        </Stack>
      );
    }
  }
  // One editor per post (a new post keeps its editor when it gets its id).
  return (
    <Editor
      key={isNew || created === id ? `new-${generation}` : id}
      initial={isNew ? undefined : post.data}
      onCreated={(saved) => setMade({ id: saved.post.id, on: location.key })}
    />
  );
}

function Editor({ initial, onCreated }: { initial: Versioned | undefined; onCreated: (saved: Versioned) => void }) {
  const navigate = useNavigate();
  const canFeature = useCan('posts:update');
  const categories = useCategories();
  const tags = useTags();
  const headingId = useId();
  /** Navigations the editor makes itself (to the new post's address; away after deleting). */
  const leaving = useRef<string | undefined>(undefined);

  const form = useAppForm<EditorValues>('post-editor', {
    initialValues: initial ? valuesOf(initial.post) : EMPTY_VALUES,
    validate: {
      title: (value) =>
        value.trim() === ''
          ? 'Give the post a title.'
          : value.length > TITLE_MAX
            ? `Use at most ${TITLE_MAX} characters.`
            : null,
      slug: (value) =>
        value !== '' && !SLUG_PATTERN.test(value)
          ? 'Use lowercase letters, digits and single hyphens between words (like tides-of-the-harbour).'
          : null,
      excerpt: (value) => (value.length > EXCERPT_MAX ? `Use at most ${EXCERPT_MAX} characters.` : null),
      tagIds: (value) => (value.length > MAX_TAGS ? `Choose at most ${MAX_TAGS} tags.` : null),
    },
  });

  const editor = usePostEditor({
    form,
    initial,
    onCreated: (saved) => {
      onCreated(saved);
      leaving.current = editPostPath(saved.post.id);
      void navigate(editPostPath(saved.post.id), { replace: true });
    },
  });
  const { base, state } = editor;
  const values = form.getValues();
  // The cover picked in this editor (the saved post's own otherwise): its image for the preview.
  const [pickedCover, setPickedCover] = useState<CoverPreview>();
  const savedCover = base?.post.cover ?? undefined;
  const coverPreview = pickedCover?.id === values.coverMediaId ? pickedCover : savedCover;

  const saveNow = async (): Promise<Versioned | undefined> => {
    const result = form.validate();
    if (result.hasErrors) {
      submitWith(form, () => undefined)();
      return undefined;
    }
    return editor.save(false);
  };
  const onSubmit = submitWith(form, () => void editor.save(false));

  const title = base ? `Edit: ${base.post.title}` : 'New post';
  const failed = state.kind === 'failed' ? state : undefined;

  return (
    <Stack gap="lg">
      <title>{`${title} · Atrium`}</title>
      <UnsavedChangesGuard
        when={editor.dirty}
        allow={(pathname) => pathname === leaving.current}
        // A save that fails (or meets a conflict) stays here: the page shows why.
        onSave={async () => Boolean(await saveNow())}
      />
      <Stack gap={4}>
        <Anchor component={Link} to={paths.write.root} size="sm">
          My posts
        </Anchor>
        <Title order={1} id={headingId} className={classes.wrapAnywhere}>
          {base ? 'Edit post' : 'New post'}
        </Title>
      </Stack>

      {state.kind === 'conflict' ? (
        <ConflictPanel
          mine={values}
          theirs={state.theirs}
          error={state.theirs ? undefined : state.error}
          onRetry={() => void editor.save(false)}
          onKeepMine={() => void editor.keepMine()}
          onTakeTheirs={editor.takeTheirs}
          keeping={editor.saving}
        />
      ) : null}

      <div className={classes.editorGrid}>
        <form onSubmit={onSubmit} noValidate aria-labelledby={headingId}>
          <Stack gap="md">
            <FormProblemAlert title="Could not save the post" error={failed?.error} problem={failed?.problem} />
            <TextInput
              label="Title"
              required
              maxLength={TITLE_MAX}
              {...form.getInputProps('title')}
              classNames={{ input: classes.titleInput }}
            />
            {base ? (
              <TextInput
                label="Address (slug)"
                description={`The post’s address: /posts/${values.slug || '…'}. Old addresses keep leading to it.`}
                {...form.getInputProps('slug')}
                classNames={{ description: classes.wrapAnywhere }}
              />
            ) : null}
            <MarkdownField
              value={values.body}
              onChange={(body) => form.setFieldValue('body', body)}
              inputProps={{
                label: 'Text (Markdown)',
                description: 'Headings start at level 2 (## ): the title is the page’s heading.',
                error: form.errors.body,
                name: 'body',
                'aria-invalid': form.errors.body ? true : undefined,
              }}
            />
            <CoverField
              value={values.coverMediaId}
              preview={coverPreview}
              error={typeof form.errors.coverMediaId === 'string' ? form.errors.coverMediaId : undefined}
              onChange={(cover) => {
                setPickedCover(cover);
                form.setFieldValue('coverMediaId', cover?.id ?? '');
              }}
            />
            <Textarea
              label="Excerpt"
              description="Shown in lists of posts. Left empty, the start of the text is used (it shows here once saved)."
              autosize
              minRows={2}
              maxRows={6}
              {...form.getInputProps('excerpt')}
            />
            <NativeSelect
              label="Category"
              data={[{ value: '', label: 'No category' }, ...categoryOptions(categories.data ?? [])]}
              {...form.getInputProps('categoryId')}
              description={categories.isError ? 'The categories could not be loaded.' : undefined}
            />
            <MultiSelect
              label="Tags"
              description={`Up to ${MAX_TAGS}. Type to find a tag.`}
              data={(tags.data ?? []).map((tag) => ({ value: tag.id, label: tag.name }))}
              searchable
              clearable
              maxValues={MAX_TAGS}
              nothingFoundMessage={tags.isError ? 'The tags could not be loaded.' : 'No tag by that name.'}
              hidePickedOptions
              {...form.getInputProps('tagIds')}
              comboboxProps={{ withinPortal: true }}
            />
            <Radio.Group label="Who can read it" {...form.getInputProps('visibility')}>
              <Stack gap="xs" mt={6}>
                <Radio value="public" label="Everyone" />
                <Radio value="members" label="Signed-in members only" />
              </Stack>
            </Radio.Group>
            <Checkbox label="Readers may comment" {...form.getInputProps('commentsOpen', { type: 'checkbox' })} />
            {canFeature ? (
              <Checkbox
                label="Featured (shown first in the feed)"
                {...form.getInputProps('featured', { type: 'checkbox' })}
              />
            ) : null}
            <Group gap="sm" align="center">
              <Button type="submit" loading={state.kind === 'saving' && !state.auto}>
                {base && base.post.status !== 'draft' ? 'Save changes' : 'Save draft'}
              </Button>
              <SaveStatus state={state} dirty={editor.dirty} isDraft={!base || base.post.status === 'draft'} />
            </Group>
          </Stack>
        </form>

        <Stack gap="xl">
          <PublishingPanel
            base={base}
            ensureSaved={saveNow}
            onChanged={editor.adopt}
            busy={state.kind === 'saving' || state.kind === 'conflict'}
            onDeleted={() => {
              leaving.current = paths.write.root;
              void navigate(paths.write.root);
            }}
          />
          <AccessibilityPanel postId={base?.post.id} version={base?.post.version} body={values.body} />
          {base ? (
            <Stack component="section" gap="xs" aria-label="History">
              <Title order={2} size="h4">
                History
              </Title>
              <Anchor component={Link} to={revisionsPath(base.post.id)} size="sm">
                Revisions of this post
              </Anchor>
            </Stack>
          ) : null}
        </Stack>
      </div>
    </Stack>
  );
}

/**
 * Where saving stands, said politely (a screen reader hears it when it changes, not per keystroke):
 * "Saved at 09:30:12", "Saving…", "Unsaved changes".
 */
function SaveStatus({ state, dirty, isDraft }: { state: SaveState; dirty: boolean; isDraft: boolean }) {
  const text =
    state.kind === 'saving'
      ? 'Saving…'
      : state.kind === 'conflict'
        ? 'Not saved: the post changed elsewhere.'
        : state.kind === 'failed'
          ? 'Not saved.'
          : dirty
            ? isDraft
              ? 'Unsaved changes (saved automatically a few seconds after you stop typing).'
              : 'Unsaved changes.'
            : state.kind === 'saved'
              ? `Saved at ${clockTime(state.at)}.`
              : '';
  return (
    <Text size="sm" c="dimmed" role="status" aria-live="polite" aria-atomic="true" data-testid="save-status">
      {text}
    </Text>
  );
}

/** The category tree as options, each level indented under its parent. */
function categoryOptions(nodes: CategoryNode[], depth = 0): { value: string; label: string }[] {
  return nodes.flatMap((node) => [
    { value: node.id, label: `${'\u00a0\u00a0\u00a0'.repeat(depth)}${node.name}` },
    ...categoryOptions(node.children, depth + 1),
  ]);
}

function EditorSkeleton() {
  return (
    <Stack gap="lg">
      <div role="status">
        <VisuallyHidden>Loading the post…</VisuallyHidden>
      </div>
      <Stack gap="md" aria-hidden="true">
        <Skeleton height={14} width={80} />
        <Skeleton height={36} width="40%" />
        <Skeleton height={56} />
        <Skeleton height={280} />
      </Stack>
    </Stack>
  );
}

function NoSuchPost() {
  return (
    <Stack gap="md" maw={640} align="flex-start">
      <title>Post not found · Atrium</title>
      <Title order={1}>Post not found</Title>
      <Text>There is no post of yours at this address. It may have been deleted.</Text>
      <Button component={Link} to={paths.write.root}>
        Back to my posts
      </Button>
    </Stack>
  );
}
