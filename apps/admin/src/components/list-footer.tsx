import { Group, Pagination, Select, Text } from '@mantine/core';
import { PAGE_SIZES } from '../lib/list-params';

export interface ListFooterProps {
  page: number;
  pageSize: number;
  total: number;
  noun: string;
  onPage: (page: number) => void;
  onPageSize: (pageSize: number) => void;
}

export function ListFooter({ page, pageSize, total, noun, onPage, onPageSize }: ListFooterProps) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);
  return (
    <Group justify="space-between" px="md" py="sm" gap="md" wrap="wrap">
      <Text size="sm" c="dimmed" data-testid="list-range">
        {total === 0 ? `No ${noun}` : `Showing ${from}–${to} of ${total} ${noun}`}
      </Text>
      <Group gap="md">
        <Group gap="xs">
          <Text size="sm" c="dimmed">
            Rows per page
          </Text>
          <Select
            aria-label="Rows per page"
            w={80}
            size="xs"
            data={PAGE_SIZES.map(String)}
            value={String(pageSize)}
            allowDeselect={false}
            onChange={(value) => value && onPageSize(Number(value))}
          />
        </Group>
        <Pagination total={pages} value={Math.min(page, pages)} onChange={onPage} size="sm" withEdges={pages > 5} />
      </Group>
    </Group>
  );
}
