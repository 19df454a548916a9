import { Group, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** The title bar of a bordered section (Paper): title, one line of description, an action on the right. */
export function SectionHeader({ title, description, action }: { title: string; description: string; action?: ReactNode }) {
  return (
    <Group justify="space-between" p="md" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }} wrap="wrap">
      <div>
        <Title order={4}>{title}</Title>
        <Text size="sm" c="dimmed">
          {description}
        </Text>
      </div>
      {action}
    </Group>
  );
}
