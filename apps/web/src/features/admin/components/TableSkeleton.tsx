import { Skeleton, Stack } from '@mantine/core';

/** Rows-to-be while a table's first page loads (the page's status line says so in words). */
export function TableSkeleton({ rows = 4 }: { rows?: number }) {
  return (
    <Stack gap={6} aria-hidden="true">
      <Skeleton height={40} radius="sm" />
      {Array.from({ length: rows }, (_, index) => (
        <Skeleton key={index} height={52} radius="sm" />
      ))}
    </Stack>
  );
}
