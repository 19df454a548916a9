import { Button, EmptyState, Stack, Table, Text, VisuallyHidden, type MantineSpacing, type MantineStyleProp, type StyleProp, type TableTrProps } from '@mantine/core';
import { IconFilterOff } from '@tabler/icons-react';
import { Fragment, type ReactNode } from 'react';
import { formatDate, formatDateTime } from '../lib/format';
import { ErrorState } from './error-state';
import { ListFooter, type ListFooterProps } from './list-footer';
import { SortableTh } from './sortable-th';
import { TableSkeletonRows } from './table-skeleton';

/** One column: its header and how a row fills its cell. */
export interface DataTableColumn<T> {
  key: string;
  /** Omitted: a header only screen readers hear ("Actions" unless `srHeader` says otherwise). */
  header?: ReactNode;
  srHeader?: string;
  width?: number | string;
  minWidth?: number | string;
  align?: 'left' | 'right' | 'center';
  /** A sortable header (aria-sort and the arrow icon). */
  sort?: { active: boolean; order: 'asc' | 'desc' | undefined; onSort: () => void };
  cell: (row: T, index: number) => ReactNode;
  cellStyle?: MantineStyleProp;
}

/** What the table says when it has no row: Mantine's EmptyState, or anything a page draws itself. */
export interface DataTableEmpty {
  title: ReactNode;
  description?: ReactNode;
  icon?: ReactNode;
  /** Buttons under the text (EmptyState.Actions). */
  actions?: ReactNode;
  testId?: string;
}

type RowAttributes = Omit<TableTrProps, 'children'> & { [data: `data-${string}`]: string | number | boolean | undefined };

export interface DataTableProps<T> {
  /** The table's accessible name (tests and screen readers find it by this). */
  label: string;
  columns: readonly DataTableColumn<T>[];
  /** `undefined` while the first page loads: skeleton rows stand in. */
  rows: readonly T[] | undefined;
  rowKey: (row: T, index: number) => string;
  rowProps?: (row: T) => RowAttributes;
  /** For rows that hold state (an expandable detail row, say): draws the whole `<Table.Tr>`s of a row itself. */
  renderRow?: (row: T, index: number) => ReactNode;
  /** Shown instead of the table, with Retry. Pass it only when the rows cannot be shown. */
  error?: unknown;
  errorTitle?: string;
  onRetry?: () => void;
  empty: DataTableEmpty | ReactNode;
  /** The table scrolls sideways below this width instead of squeezing its columns. */
  minWidth?: number;
  busy?: boolean;
  skeletonRows?: number;
  highlightOnHover?: boolean;
  striped?: boolean;
  verticalSpacing?: MantineSpacing;
  horizontalSpacing?: MantineSpacing;
  fz?: StyleProp<string>;
  /** Header background (the list pages use gray.0). */
  headerBg?: string;
  /** Rows-per-page and page controls under the table, shown while there is something to page through. */
  pagination?: ListFooterProps;
}

function isEmptySpec(value: DataTableEmpty | ReactNode): value is DataTableEmpty {
  return typeof value === 'object' && value !== null && 'title' in value && !('$$typeof' in value);
}

function EmptyBody({ empty }: { empty: DataTableEmpty | ReactNode }) {
  if (!isEmptySpec(empty)) return <>{empty}</>;
  return (
    <EmptyState py={48} size="sm" icon={empty.icon} withIndicatorBackground={empty.icon !== undefined} title={empty.title} description={empty.description} data-testid={empty.testId}>
      {empty.actions && <EmptyState.Actions>{empty.actions}</EmptyState.Actions>}
    </EmptyState>
  );
}

/**
 * The admin's list table (Mantine Table in a ScrollContainer): skeleton rows while loading, the error with Retry,
 * an empty state, sortable headers and the pagination footer. Pages give columns and rows; none draws these again.
 */
export function DataTable<T>(props: DataTableProps<T>) {
  const { columns, rows, error, pagination } = props;
  if (error) {
    return (
      <Stack p="md">
        <ErrorState error={error} title={props.errorTitle} onRetry={props.onRetry} />
      </Stack>
    );
  }
  if (rows && rows.length === 0) return <EmptyBody empty={props.empty} />;
  return (
    <>
      <Table.ScrollContainer minWidth={props.minWidth ?? 0}>
        <Table
          aria-label={props.label}
          aria-busy={props.busy}
          highlightOnHover={props.highlightOnHover}
          striped={props.striped}
          verticalSpacing={props.verticalSpacing ?? 'sm'}
          horizontalSpacing={props.horizontalSpacing}
          fz={props.fz}
        >
          <Table.Thead bg={props.headerBg}>
            <Table.Tr>
              {columns.map((c) =>
                c.sort ? (
                  <SortableTh key={c.key} active={c.sort.active} order={c.sort.order} onSort={c.sort.onSort} width={c.width}>
                    {c.header}
                  </SortableTh>
                ) : (
                  <Table.Th key={c.key} w={c.width} miw={c.minWidth} ta={c.align}>
                    {c.header ?? <VisuallyHidden>{c.srHeader ?? 'Actions'}</VisuallyHidden>}
                  </Table.Th>
                ),
              )}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {!rows ? (
              <TableSkeletonRows columns={columns.length} rows={props.skeletonRows} />
            ) : (
              rows.map((row, index) =>
                props.renderRow ? (
                  <Fragment key={props.rowKey(row, index)}>{props.renderRow(row, index)}</Fragment>
                ) : (
                  <Table.Tr key={props.rowKey(row, index)} {...props.rowProps?.(row)}>
                    <DataTableCells columns={columns} row={row} index={index} />
                  </Table.Tr>
                ),
              )
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {pagination && pagination.total > 0 && <ListFooter {...pagination} />}
    </>
  );
}

/** The cells of one row in column order, for a `renderRow` that wraps them in its own `<Table.Tr>`. */
export function DataTableCells<T>({ columns, row, index }: { columns: readonly DataTableColumn<T>[]; row: T; index: number }) {
  return (
    <>
      {columns.map((c) => (
        <Table.Td key={c.key} ta={c.align} style={c.cellStyle}>
          {c.cell(row, index)}
        </Table.Td>
      ))}
    </>
  );
}

/**
 * A column of dates in dimmed text ("12 Mar 2026", or with the time when `time`), the way every list shows when
 * something was added, updated or last used. `empty` stands in for a missing date.
 */
export function dateColumn<T>(
  key: string,
  header: string,
  at: (row: T) => string | null,
  options: { time?: boolean; empty?: string; width?: number; sort?: DataTableColumn<T>['sort'] } = {},
): DataTableColumn<T> {
  const format = options.time ? formatDateTime : formatDate;
  return {
    key,
    header,
    width: options.width,
    sort: options.sort,
    cell: (row) => {
      const value = at(row);
      return (
        <Text size="sm" c="dimmed">
          {value === null && options.empty !== undefined ? options.empty : format(value)}
        </Text>
      );
    },
  };
}

/** The empty state of a list whose search or filters hide every row: says so and offers to clear them. */
export function noMatchEmpty({ title, description, clearLabel, onClear }: { title: string; description: string; clearLabel: string; onClear: () => void }): DataTableEmpty {
  return {
    title,
    description,
    icon: <IconFilterOff size={28} />,
    actions: (
      <Button variant="default" onClick={onClear}>
        {clearLabel}
      </Button>
    ),
  };
}
