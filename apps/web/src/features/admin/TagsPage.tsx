import {
  Button,
  Checkbox,
  ColorInput,
  ColorSwatch,
  Group,
  Modal,
  NativeSelect,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { type FormEvent, useState } from 'react';

import { DataTable } from '../../components/ui/DataTable';
import { FormErrorAlert, FormProblemAlert } from '../../components/ui/FormErrorAlert';
import { notifySuccess } from '../../components/ui/notify';
import { showApiErrors, splitApiError, submitWith, useAppForm } from '../../lib/forms';
import { useCan } from '../auth';
import type { Tag, TagsQuery } from './api/admin.api';
import { ADMIN_PAGE_SIZE, useCreateTag, useDeleteTag, useMergeTag, useTags, useUpdateTag } from './api/admin.queries';
import { count } from './admin.format';
import { TableSkeleton } from './components/TableSkeleton';
import { useListParams } from './useListParams';
import styles from './admin.module.css';
import { LoadError } from './components/LoadError';
import { useRemovalFocus } from './useRemovalFocus';

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const COLOR = /^#[0-9a-f]{6}$/;
const SWATCHES = ['#1c7ed6', '#0c8599', '#2f9e44', '#e67700', '#e03131', '#c2255c', '#7048e8', '#495057'];

const SORTS = [
  { value: 'popular', label: 'Most used first' },
  { value: 'name', label: 'By name' },
];

type Dialog = { kind: 'create' } | { kind: 'edit' | 'merge' | 'delete'; tag: Tag };

/** Tags: find by the start of their name, make, rename and colour, merge one into another, delete. */
export function TagsPage() {
  const { get, page, update } = useListParams();
  const q = get('q');
  const sort = get('sort') === 'name' ? 'name' : 'popular';
  const query: TagsQuery = { page, perPage: ADMIN_PAGE_SIZE, sort, ...(q ? { q } : {}) };
  const tags = useTags(query);
  const canCreate = useCan('tags:create');
  const canUpdate = useCan('tags:update');
  const canDelete = useCan('tags:delete');
  const [draft, setDraft] = useState(q);
  const [shownQ, setShownQ] = useState(q);
  const [dialog, setDialog] = useState<Dialog>();
  if (shownQ !== q) {
    setShownQ(q);
    setDraft(q);
  }
  const total = tags.data?.pagination.totalItems ?? 0;

  const onSearch = (event: FormEvent) => {
    event.preventDefault();
    update({ q: draft.trim() || undefined });
  };

  return (
    <Stack gap="lg">
      <title>Tags · Administration · Atrium</title>
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
        <Title order={1}>Tags</Title>
        {canCreate ? <Button onClick={() => setDialog({ kind: 'create' })}>New tag</Button> : null}
      </Group>
      <Group gap="md" align="flex-end" wrap="wrap">
        <form role="search" aria-label="Tags" onSubmit={onSearch} style={{ flex: '0 1 30rem', minWidth: 0 }}>
          <Group gap="xs" align="flex-end" wrap="wrap">
            <TextInput
              type="search"
              label="Find tags"
              description="The start of a name or slug"
              value={draft}
              onChange={(event) => setDraft(event.currentTarget.value)}
              style={{ flex: '1 1 12rem' }}
              maw={360}
              miw={0}
            />
            <Button type="submit">Find</Button>
          </Group>
        </form>
        <NativeSelect
          label="Order"
          data={SORTS}
          value={sort}
          onChange={(event) => update({ sort: event.currentTarget.value === 'name' ? 'name' : undefined })}
          style={{ flex: '0 1 12rem' }}
          miw={0}
        />
      </Group>
      <div role="status">
        {tags.isSuccess ? (
          <Text size="sm">
            {total === 0 ? (q ? `No tag starts with “${q}”.` : 'No tags yet.') : count(total, 'tag')}
          </Text>
        ) : (
          <VisuallyHidden>Loading tags…</VisuallyHidden>
        )}
      </div>
      {tags.isError ? (
        <LoadError title="Could not load the tags" query={tags} />
      ) : tags.isPending ? (
        <TableSkeleton />
      ) : (
        <DataTable<Tag>
          aria-label="Tags"
          records={tags.data?.items ?? []}
          fetching={tags.isFetching}
          idAccessor="id"
          totalRecords={total}
          recordsPerPage={ADMIN_PAGE_SIZE}
          page={page}
          onPageChange={(next) => update({ page: String(next) })}
          paginationText={({ from, to, totalRecords }) => `${from}–${to} of ${totalRecords}`}
          noRecordsText={q ? `No tag starts with “${q}”.` : 'No tags yet.'}
          columns={[
            {
              accessor: 'name',
              title: 'Tag',
              render: (tag) => (
                <Group gap="xs" wrap="nowrap" miw={0}>
                  <ColorSwatch color={tag.color ?? 'var(--mantine-color-gray-5)'} size={14} aria-hidden="true" />
                  <Stack gap={0} miw={0}>
                    <Text size="sm" fw={600} style={{ overflowWrap: 'anywhere' }}>
                      {tag.name}
                    </Text>
                    <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                      {tag.slug} · {tag.color ?? 'default colour'}
                    </Text>
                  </Stack>
                </Group>
              ),
            },
            {
              accessor: 'usageCount',
              title: 'Posts',
              width: 70,
              textAlign: 'right',
            },
            {
              accessor: 'actions',
              title: <VisuallyHidden>Actions</VisuallyHidden>,
              textAlign: 'right',
              render: (tag) => (
                <Group gap={6} justify="flex-end" wrap="wrap">
                  {canUpdate ? (
                    <Button
                      size="compact-sm"
                      variant="default"
                      aria-label={`Edit ${tag.name}`}
                      onClick={() => setDialog({ kind: 'edit', tag })}
                    >
                      Edit
                    </Button>
                  ) : null}
                  {canDelete ? (
                    <>
                      <Button
                        size="compact-sm"
                        variant="default"
                        aria-label={`Merge ${tag.name}`}
                        onClick={() => setDialog({ kind: 'merge', tag })}
                      >
                        Merge
                      </Button>
                      <Button
                        size="compact-sm"
                        variant="default"
                        className={styles.danger}
                        aria-label={`Delete ${tag.name}`}
                        onClick={() => setDialog({ kind: 'delete', tag })}
                      >
                        Delete
                      </Button>
                    </>
                  ) : null}
                </Group>
              ),
            },
          ]}
        />
      )}
      <TagFormModal
        tag={dialog?.kind === 'edit' ? dialog.tag : undefined}
        opened={dialog?.kind === 'create' || dialog?.kind === 'edit'}
        onClose={() => setDialog(undefined)}
      />
      <MergeTagModal tag={dialog?.kind === 'merge' ? dialog.tag : undefined} onClose={() => setDialog(undefined)} />
      <DeleteTagModal tag={dialog?.kind === 'delete' ? dialog.tag : undefined} onClose={() => setDialog(undefined)} />
    </Stack>
  );
}

type Field = 'name' | 'slug' | 'color';
const API_FIELDS: Record<string, Field> = { name: 'name', slug: 'slug', color: 'color' };

function TagFormModal({ tag, opened, onClose }: { tag: Tag | undefined; opened: boolean; onClose: () => void }) {
  const title = tag ? `Edit ${tag.name}` : 'New tag';
  return (
    <Modal opened={opened} onClose={onClose} title={title} centered closeButtonProps={{ 'aria-label': 'Close' }}>
      {opened ? <TagForm key={tag?.id ?? 'new'} tag={tag} title={title} onDone={onClose} /> : null}
    </Modal>
  );
}

function TagForm({ tag, title, onDone }: { tag: Tag | undefined; title: string; onDone: () => void }) {
  const create = useCreateTag();
  const update = useUpdateTag();
  const save = tag ? update : create;
  const form = useAppForm<{ name: string; slug: string; color: string; defaultColor: boolean }>('tag', {
    initialValues: {
      name: tag?.name ?? '',
      slug: tag?.slug ?? '',
      color: tag?.color ?? '#1c7ed6',
      defaultColor: tag ? tag.color === null : true,
    },
    validate: ({ name, slug, color, defaultColor }) => ({
      name: name.trim() ? (name.trim().length > 50 ? 'Use at most 50 characters.' : undefined) : 'Enter a name.',
      slug:
        !slug.trim() || SLUG.test(slug.trim())
          ? undefined
          : 'Use lowercase letters and digits in dash-separated words.',
      color: defaultColor || COLOR.test(color.toLowerCase()) ? undefined : 'Enter a colour as #rrggbb.',
    }),
  });

  const onSubmit = submitWith(form, ({ name, slug, color, defaultColor }) => {
    if (save.isPending) return;
    const body = {
      name: name.trim(),
      color: defaultColor ? null : color.toLowerCase(),
      ...(slug.trim() ? { slug: slug.trim() } : {}),
    };
    const options = {
      onSuccess: () => {
        notifySuccess(tag ? `Tag ${body.name} saved.` : `Tag ${body.name} created.`);
        onDone();
      },
      onError: (error: Error) => showApiErrors(form, error, API_FIELDS),
    };
    if (tag) update.mutate({ id: tag.id, changes: body }, options);
    else create.mutate(body, options);
  });
  const split = save.isError ? splitApiError(save.error, API_FIELDS) : undefined;

  return (
    <form onSubmit={onSubmit} noValidate aria-label={title}>
      <Stack gap="md">
        <FormProblemAlert title="Could not save the tag" error={save.error} problem={split} />
        <TextInput {...form.getInputProps('name')} label="Name" required autoComplete="off" />
        <TextInput
          {...form.getInputProps('slug')}
          label="Slug"
          description="Made from the name when left empty"
          autoComplete="off"
        />
        <Checkbox {...form.getInputProps('defaultColor', { type: 'checkbox' })} label="Use the default colour" />
        {form.values.defaultColor ? null : (
          <ColorInput
            {...form.getInputProps('color')}
            label="Colour"
            description="#rrggbb"
            format="hex"
            swatches={SWATCHES}
            withEyeDropper={false}
            popoverProps={{ withinPortal: true }}
          />
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            {tag ? 'Save tag' : 'Create tag'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function MergeTagModal({ tag, onClose }: { tag: Tag | undefined; onClose: () => void }) {
  const focus = useRemovalFocus();
  return (
    <Modal
      {...focus.modalProps}
      opened={tag !== undefined}
      onClose={onClose}
      title={tag ? `Merge ${tag.name} into another tag` : ''}
      centered
      closeButtonProps={{ 'aria-label': 'Close' }}
    >
      {tag ? (
        <MergeForm
          key={tag.id}
          tag={tag}
          onDone={onClose}
          onMerged={() => {
            focus.markRemoved();
            onClose();
          }}
        />
      ) : null}
    </Modal>
  );
}

/** Picks the tag to merge into, found by the start of its name (the API's prefix search). */
function MergeForm({ tag, onDone, onMerged }: { tag: Tag; onDone: () => void; onMerged: () => void }) {
  const merge = useMergeTag();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  const [intoId, setIntoId] = useState<string | null>(null);
  const candidates = useTags({
    page: 1,
    perPage: 20,
    sort: 'name',
    ...(debounced.trim() ? { q: debounced.trim() } : {}),
  });
  const options = (candidates.data?.items ?? [])
    .filter((candidate) => candidate.id !== tag.id)
    .map((candidate) => ({ value: candidate.id, label: `${candidate.name} (${candidate.usageCount})` }));
  const [intoName, setIntoName] = useState<string>();

  const onMerge = () => {
    if (!intoId) return;
    merge.mutate(
      { id: tag.id, intoId },
      {
        onSuccess: () => {
          notifySuccess(`${tag.name} merged into ${intoName ?? 'the other tag'}.`);
          onMerged();
        },
      },
    );
  };

  return (
    <Stack gap="md">
      <Text size="sm">
        Its {count(tag.usageCount, 'post')} get the other tag instead, and {tag.name} is deleted.
      </Text>
      <Select
        label="Merge into"
        placeholder="Type to find a tag"
        searchable
        data={options}
        value={intoId}
        onChange={(value) => {
          setIntoId(value);
          setIntoName(candidates.data?.items.find((candidate) => candidate.id === value)?.name);
        }}
        searchValue={search}
        onSearchChange={setSearch}
        nothingFoundMessage={candidates.isFetching ? 'Searching…' : 'No other tag found'}
        filter={({ options: all }) => all}
        comboboxProps={{ withinPortal: true }}
      />
      {merge.isError ? <FormErrorAlert title="Could not merge the tags" error={merge.error} /> : null}
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>
          Cancel
        </Button>
        <Button loading={merge.isPending} disabled={!intoId} onClick={onMerge}>
          Merge tags
        </Button>
      </Group>
    </Stack>
  );
}

function DeleteTagModal({ tag, onClose }: { tag: Tag | undefined; onClose: () => void }) {
  const remove = useDeleteTag();
  const focus = useRemovalFocus();
  const close = () => {
    remove.reset();
    onClose();
  };
  return (
    <Modal
      {...focus.modalProps}
      opened={tag !== undefined}
      onClose={close}
      title={tag ? `Delete ${tag.name}?` : ''}
      centered
      closeButtonProps={{ 'aria-label': 'Close' }}
    >
      {tag ? (
        <Stack gap="md">
          <Text size="sm">It comes off its {count(tag.usageCount, 'post')}. This cannot be undone.</Text>
          {remove.isError ? <FormErrorAlert title="Could not delete the tag" error={remove.error} /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button
              color="red.9"
              loading={remove.isPending}
              onClick={() =>
                remove.mutate(tag.id, {
                  onSuccess: () => {
                    notifySuccess(`Tag ${tag.name} deleted.`);
                    focus.markRemoved();
                    close();
                  },
                })
              }
            >
              Delete tag
            </Button>
          </Group>
        </Stack>
      ) : null}
    </Modal>
  );
}
