import {
  Button,
  Group,
  Modal,
  NativeSelect,
  NumberInput,
  Paper,
  Skeleton,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';

import { FormErrorAlert, FormProblemAlert } from '../../components/ui/FormErrorAlert';
import { notifySuccess } from '../../components/ui/notify';
import { showApiErrors, splitApiError, submitWith, useAppForm } from '../../lib/forms';
import { useCan } from '../auth';
import { type CategoryNode, updateCategory } from './api/admin.api';
import {
  adminKeys,
  useCategoryTree,
  useCreateCategory,
  useDeleteCategory,
  useUpdateCategory,
} from './api/admin.queries';
import { count } from './admin.format';
import styles from './admin.module.css';
import { LoadError } from './components/LoadError';
import { useRemovalFocus } from './useRemovalFocus';

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Every category with its depth, in tree order. */
function flatten(nodes: CategoryNode[], depth = 0): { node: CategoryNode; depth: number }[] {
  return nodes.flatMap((node) => [{ node, depth }, ...flatten(node.children, depth + 1)]);
}

/** The ids of a category and every category below it (none of them can be its new parent). */
function subtreeIds(node: CategoryNode): Set<string> {
  return new Set([node.id, ...node.children.flatMap((child) => [...subtreeIds(child)])]);
}

const indent = (depth: number) => '\u00a0\u00a0\u00a0'.repeat(depth);

type Editing = { mode: 'create'; parentId: string | null } | { mode: 'edit'; node: CategoryNode };

/** The category tree: make, rename, move (under another, or up and down among siblings) and delete categories. */
export function CategoriesPage() {
  const tree = useCategoryTree();
  const canCreate = useCan('categories:create');
  const [editing, setEditing] = useState<Editing>();
  const [deleting, setDeleting] = useState<CategoryNode>();

  return (
    <Stack gap="lg">
      <title>Categories · Administration · Atrium</title>
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
        <Title order={1}>Categories</Title>
        {canCreate ? (
          <Button onClick={() => setEditing({ mode: 'create', parentId: null })}>New category</Button>
        ) : null}
      </Group>
      {tree.isPending ? (
        <>
          <div role="status">
            <VisuallyHidden>Loading the categories…</VisuallyHidden>
          </div>
          <Skeleton height={48} radius="md" />
          <Skeleton height={48} radius="md" />
        </>
      ) : tree.isError ? (
        <LoadError title="Could not load the categories" query={tree} />
      ) : tree.data.length === 0 ? (
        <Text>No categories yet.</Text>
      ) : (
        <CategoryList
          nodes={tree.data}
          label="Categories"
          onEdit={(node) => setEditing({ mode: 'edit', node })}
          onAdd={(parent) => setEditing({ mode: 'create', parentId: parent.id })}
          onDelete={setDeleting}
        />
      )}
      <CategoryFormModal editing={editing} tree={tree.data ?? []} onClose={() => setEditing(undefined)} />
      <DeleteCategoryModal node={deleting} tree={tree.data ?? []} onClose={() => setDeleting(undefined)} />
    </Stack>
  );
}

interface ListProps {
  nodes: CategoryNode[];
  label: string;
  onEdit: (node: CategoryNode) => void;
  onAdd: (parent: CategoryNode) => void;
  onDelete: (node: CategoryNode) => void;
}

function CategoryList({ nodes, label, ...actions }: ListProps) {
  return (
    <Stack component="ul" gap="xs" m={0} p={0} aria-label={label} style={{ listStyle: 'none' }}>
      {nodes.map((node, index) => (
        <CategoryItem key={node.id} node={node} siblings={nodes} index={index} {...actions} />
      ))}
    </Stack>
  );
}

function CategoryItem({
  node,
  siblings,
  index,
  onEdit,
  onAdd,
  onDelete,
}: Omit<ListProps, 'nodes' | 'label'> & { node: CategoryNode; siblings: CategoryNode[]; index: number }) {
  const canUpdate = useCan('categories:update');
  const canCreate = useCan('categories:create');
  const canDelete = useCan('categories:delete');
  const nameId = useId();
  const queryClient = useQueryClient();
  // Moving up or down numbers the siblings 0, 1, 2 … in their new order (only those that change).
  const move = useMutation({
    mutationFn: async (to: number) => {
      const order = [...siblings];
      order.splice(index, 1);
      order.splice(to, 0, node);
      for (const [position, sibling] of order.entries()) {
        if (sibling.sortOrder !== position) await updateCategory({ id: sibling.id, changes: { sortOrder: position } });
      }
    },
    onSuccess: (_, to) => notifySuccess(`${node.name} moved ${to < index ? 'up' : 'down'}.`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: adminKeys.categories() }),
  });

  return (
    <li aria-labelledby={nameId}>
      <Paper withBorder radius="md" p="sm">
        <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
          <Stack gap={2} miw={0} style={{ flex: '1 1 12rem' }}>
            <Text fw={600} id={nameId} style={{ overflowWrap: 'anywhere' }}>
              {node.name}
            </Text>
            <Text size="sm" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
              /{node.slug} · {count(node.postCount, 'published post')}
            </Text>
            {move.isError ? (
              <Text size="sm" className={styles.danger} role="alert">
                Could not move it: {move.error.message}
              </Text>
            ) : null}
          </Stack>
          <Group gap={6} wrap="wrap">
            {canUpdate ? (
              <>
                <Button
                  size="compact-sm"
                  variant="default"
                  aria-label={`Move ${node.name} up`}
                  disabled={index === 0}
                  loading={move.isPending}
                  onClick={() => move.mutate(index - 1)}
                >
                  Up
                </Button>
                <Button
                  size="compact-sm"
                  variant="default"
                  aria-label={`Move ${node.name} down`}
                  disabled={index === siblings.length - 1}
                  loading={move.isPending}
                  onClick={() => move.mutate(index + 1)}
                >
                  Down
                </Button>
                <Button
                  size="compact-sm"
                  variant="default"
                  aria-label={`Edit ${node.name}`}
                  onClick={() => onEdit(node)}
                >
                  Edit
                </Button>
              </>
            ) : null}
            {canCreate ? (
              <Button
                size="compact-sm"
                variant="default"
                aria-label={`Add a category under ${node.name}`}
                onClick={() => onAdd(node)}
              >
                Add under
              </Button>
            ) : null}
            {canDelete ? (
              <Button
                size="compact-sm"
                variant="default"
                className={styles.danger}
                aria-label={`Delete ${node.name}`}
                onClick={() => onDelete(node)}
              >
                Delete
              </Button>
            ) : null}
          </Group>
        </Group>
      </Paper>
      {node.children.length > 0 ? (
        <Stack pl={{ base: 'sm', sm: 'xl' }} mt="xs">
          <CategoryList
            nodes={node.children}
            label={`Under ${node.name}`}
            onEdit={onEdit}
            onAdd={onAdd}
            onDelete={onDelete}
          />
        </Stack>
      ) : null}
    </li>
  );
}

type Field = 'name' | 'slug' | 'description' | 'parentId' | 'sortOrder';
const API_FIELDS: Record<string, Field> = {
  name: 'name',
  slug: 'slug',
  description: 'description',
  parentId: 'parentId',
  sortOrder: 'sortOrder',
};

function CategoryFormModal({
  editing,
  tree,
  onClose,
}: {
  editing: Editing | undefined;
  tree: CategoryNode[];
  onClose: () => void;
}) {
  const title = !editing ? '' : editing.mode === 'edit' ? `Edit ${editing.node.name}` : 'New category';
  return (
    <Modal
      opened={editing !== undefined}
      onClose={onClose}
      title={title}
      centered
      closeButtonProps={{ 'aria-label': 'Close' }}
    >
      {editing ? (
        <CategoryForm
          key={editing.mode === 'edit' ? editing.node.id : `new-${editing.parentId}`}
          editing={editing}
          tree={tree}
          title={title}
          onDone={onClose}
        />
      ) : null}
    </Modal>
  );
}

function CategoryForm({
  editing,
  tree,
  title,
  onDone,
}: {
  editing: Editing;
  tree: CategoryNode[];
  title: string;
  onDone: () => void;
}) {
  const node = editing.mode === 'edit' ? editing.node : undefined;
  const create = useCreateCategory();
  const update = useUpdateCategory();
  const save = node ? update : create;
  const form = useAppForm<{
    name: string;
    slug: string;
    description: string;
    parentId: string;
    sortOrder: number | string;
  }>('category', {
    initialValues: {
      name: node?.name ?? '',
      slug: node?.slug ?? '',
      description: node?.description ?? '',
      parentId: node ? (node.parentId ?? '') : editing.mode === 'create' ? (editing.parentId ?? '') : '',
      sortOrder: node?.sortOrder ?? 0,
    },
    validate: ({ name, slug, sortOrder }) => ({
      name: name.trim() ? (name.trim().length > 80 ? 'Use at most 80 characters.' : undefined) : 'Enter a name.',
      slug:
        !slug.trim() || SLUG.test(slug.trim())
          ? undefined
          : 'Use lowercase letters and digits in dash-separated words.',
      sortOrder:
        typeof sortOrder === 'number' && Number.isInteger(sortOrder) && Math.abs(sortOrder) <= 10000
          ? undefined
          : 'Enter a whole number from -10000 to 10000.',
    }),
  });
  const excluded = node ? subtreeIds(node) : new Set<string>();
  const parents = [
    { value: '', label: 'None (top level)' },
    ...flatten(tree)
      .filter(({ node: candidate }) => !excluded.has(candidate.id))
      .map(({ node: candidate, depth }) => ({ value: candidate.id, label: `${indent(depth)}${candidate.name}` })),
  ];

  const onSubmit = submitWith(form, (values) => {
    if (save.isPending) return;
    const body = {
      name: values.name.trim(),
      description: values.description.trim(),
      parentId: values.parentId || null,
      sortOrder: Number(values.sortOrder),
      ...(values.slug.trim() ? { slug: values.slug.trim() } : {}),
    };
    const options = {
      onSuccess: () => {
        notifySuccess(node ? `Category ${body.name} saved.` : `Category ${body.name} created.`);
        onDone();
      },
      onError: (error: Error) => showApiErrors(form, error, API_FIELDS),
    };
    if (node) update.mutate({ id: node.id, changes: body }, options);
    else create.mutate(body, options);
  });
  const split = save.isError ? splitApiError(save.error, API_FIELDS) : undefined;

  return (
    <form onSubmit={onSubmit} noValidate aria-label={title}>
      <Stack gap="md">
        <FormProblemAlert title="Could not save the category" error={save.error} problem={split} />
        <TextInput {...form.getInputProps('name')} label="Name" required autoComplete="off" />
        <TextInput
          {...form.getInputProps('slug')}
          label="Slug"
          description="Its address; made from the name when left empty"
          autoComplete="off"
        />
        <Textarea {...form.getInputProps('description')} label="Description" autosize minRows={2} maxLength={500} />
        <NativeSelect {...form.getInputProps('parentId')} label="Under" data={parents} />
        <NumberInput
          {...form.getInputProps('sortOrder')}
          label="Sort order"
          description="Lowest first among the categories beside it"
          allowDecimal={false}
          min={-10000}
          max={10000}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            {node ? 'Save category' : 'Create category'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function DeleteCategoryModal({
  node,
  tree,
  onClose,
}: {
  node: CategoryNode | undefined;
  tree: CategoryNode[];
  onClose: () => void;
}) {
  const remove = useDeleteCategory();
  const focus = useRemovalFocus();
  const [moveTo, setMoveTo] = useState('');
  const close = () => {
    remove.reset();
    setMoveTo('');
    onClose();
  };
  const holds = node ? node.postCount > 0 || node.children.length > 0 : false;
  const excluded = node ? subtreeIds(node) : new Set<string>();
  const targets = flatten(tree)
    .filter(({ node: candidate }) => !excluded.has(candidate.id))
    .map(({ node: candidate, depth }) => ({ value: candidate.id, label: `${indent(depth)}${candidate.name}` }));

  const onDelete = () => {
    if (!node) return;
    remove.mutate(
      { id: node.id, moveTo: moveTo || undefined },
      {
        onSuccess: () => {
          const target = targets.find((t) => t.value === moveTo)?.label.trim();
          notifySuccess(target ? `${node.name} deleted; what it held is now in ${target}.` : `${node.name} deleted.`);
          focus.markRemoved();
          close();
        },
      },
    );
  };

  return (
    <Modal
      {...focus.modalProps}
      opened={node !== undefined}
      onClose={close}
      title={node ? `Delete ${node.name}?` : ''}
      centered
      closeButtonProps={{ 'aria-label': 'Close' }}
    >
      {node ? (
        <Stack gap="md">
          <Text size="sm">
            {holds
              ? `It holds ${count(node.postCount, 'published post')} and ${count(node.children.length, 'category', 'categories')} directly below it. Choose where they go.`
              : 'It holds no published posts and no categories.'}
          </Text>
          <NativeSelect
            label="Move its posts and categories to"
            description={
              holds ? 'Needed: the category they go to' : 'Optional (drafts filed under it, if any, go there too)'
            }
            data={[{ value: '', label: holds ? 'Choose a category' : 'Nowhere' }, ...targets]}
            value={moveTo}
            onChange={(event) => setMoveTo(event.currentTarget.value)}
          />
          {remove.isError ? <FormErrorAlert title="Could not delete the category" error={remove.error} /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button color="red.9" loading={remove.isPending} disabled={holds && !moveTo} onClick={onDelete}>
              Delete category
            </Button>
          </Group>
        </Stack>
      ) : null}
    </Modal>
  );
}
