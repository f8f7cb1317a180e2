import { Paper, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { type ReactNode, useId } from 'react';

export interface FigureColumn<Row> {
  label: string;
  value: (row: Row) => ReactNode;
}

interface ChartFigureProps<Row> {
  title: string;
  /** One or two sentences with what the chart shows: read to screen readers in place of the picture. */
  summary: string;
  /** The chart itself (hidden from assistive technology: the summary and the table say it). */
  children: ReactNode;
  /** The figures behind the chart, as a table anyone can open. */
  rows: Row[];
  columns: FigureColumn<Row>[];
  rowKey: (row: Row) => string;
}

/**
 * A chart with its text alternative: a heading, a summary in words (visible to screen readers),
 * and the numbers in a table behind "Show the figures" (none when there are no rows: it would open
 * on a table of headings only).
 */
export function ChartFigure<Row>({ title, summary, children, rows, columns, rowKey }: ChartFigureProps<Row>) {
  const titleId = useId();
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby={titleId} miw={0}>
      <Stack gap="sm">
        <Title order={2} size="h4" id={titleId}>
          {title}
        </Title>
        <VisuallyHidden>{summary}</VisuallyHidden>
        <div aria-hidden="true">{children}</div>
        {rows.length === 0 ? null : (
          <details>
            <Text component="summary" size="sm" style={{ cursor: 'pointer' }}>
              Show the figures
            </Text>
            <Table.ScrollContainer minWidth={0} mt="xs">
              <Table striped withTableBorder fz="sm">
                <Table.Caption>{title}</Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    {columns.map((column) => (
                      <Table.Th key={column.label} scope="col">
                        {column.label}
                      </Table.Th>
                    ))}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((row) => (
                    <Table.Tr key={rowKey(row)}>
                      {columns.map((column) => (
                        <Table.Td key={column.label}>{column.value(row)}</Table.Td>
                      ))}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </details>
        )}
      </Stack>
    </Paper>
  );
}
