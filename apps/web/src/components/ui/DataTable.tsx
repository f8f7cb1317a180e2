// Tables of records (posts, comments, users …) with sorting, pagination and selection: the one
// wrapper pages use, so every table looks and reads the same. Only chunks with a table load it.
import 'mantine-datatable/styles.css';

import { DataTable as MantineDataTable, type DataTableProps as MantineDataTableProps } from 'mantine-datatable';

export type { DataTableColumn, DataTableSortStatus } from 'mantine-datatable';

export type DataTableProps<T> = MantineDataTableProps<T> & {
  /** What the table lists, for screen readers ("Posts", "Comments awaiting moderation"). */
  'aria-label': string;
};

/**
 * mantine-datatable with the app's defaults: bordered, rows highlighted under the pointer, cells
 * aligned to the top (multi-line cells read as rows), and a sentence when there is nothing to list.
 */
export function DataTable<T>(props: DataTableProps<T>) {
  return (
    <MantineDataTable<T>
      withTableBorder
      borderRadius="md"
      highlightOnHover
      verticalAlign="top"
      noRecordsText="Nothing to show yet."
      minHeight={props.records?.length ? undefined : 160}
      {...props}
    />
  );
}
