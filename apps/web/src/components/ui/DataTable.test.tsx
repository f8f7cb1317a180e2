import { MantineProvider } from '@mantine/core';
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { DataTable } from './DataTable';

interface Post {
  id: string;
  title: string;
  status: string;
}

const posts: Post[] = [
  { id: 'p1', title: 'Hello, Atrium', status: 'published' },
  { id: 'p2', title: 'Drafting in public', status: 'draft' },
];

const renderTable = (records: Post[]) =>
  render(
    <MantineProvider env="test">
      <DataTable<Post>
        aria-label="Posts"
        records={records}
        columns={[
          { accessor: 'title', title: 'Title' },
          { accessor: 'status', title: 'Status' },
        ]}
      />
    </MantineProvider>,
  );

describe('DataTable (shared wrapper for record lists)', () => {
  it('renders a named table with a header row and one row per record', () => {
    renderTable(posts);

    const table = screen.getByRole('table', { name: 'Posts' });
    expect(within(table).getByRole('columnheader', { name: 'Title' })).toBeInTheDocument();
    expect(within(table).getByRole('columnheader', { name: 'Status' })).toBeInTheDocument();
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(within(rows[1]).getByText('Hello, Atrium')).toBeInTheDocument();
    expect(within(rows[2]).getByText('draft')).toBeInTheDocument();
  });

  it('says so when there is nothing to list', () => {
    renderTable([]);

    expect(screen.getByText('Nothing to show yet.')).toBeInTheDocument();
  });
});
