import { Table, UnstyledButton, Group, Text } from '@mantine/core';
import { IconChevronDown, IconChevronUp, IconSelector } from '@tabler/icons-react';
import type { ReactNode } from 'react';

interface SortableThProps {
  children: ReactNode;
  active: boolean;
  order: 'asc' | 'desc' | undefined;
  onSort: () => void;
  width?: number | string;
}

export function SortableTh({ children, active, order, onSort, width }: SortableThProps) {
  const Icon = !active ? IconSelector : order === 'desc' ? IconChevronDown : IconChevronUp;
  const ariaSort = !active ? 'none' : order === 'desc' ? 'descending' : 'ascending';
  return (
    <Table.Th aria-sort={ariaSort} w={width}>
      <UnstyledButton onClick={onSort} style={{ width: '100%' }}>
        <Group justify="space-between" gap={4} wrap="nowrap">
          <Text fw={600} size="sm">
            {children}
          </Text>
          <Icon size={14} stroke={1.5} color={active ? 'var(--mantine-primary-color-filled)' : 'var(--mantine-color-dimmed)'} />
        </Group>
      </UnstyledButton>
    </Table.Th>
  );
}
