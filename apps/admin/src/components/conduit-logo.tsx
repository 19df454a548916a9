import { Group, Text, ThemeIcon } from '@mantine/core';
import { IconArrowsExchange } from '@tabler/icons-react';

export function ConduitLogo({ size = 'md' }: { size?: 'md' | 'lg' }) {
  const icon = size === 'lg' ? 40 : 30;
  return (
    <Group gap={10} wrap="nowrap">
      <ThemeIcon size={icon} radius="md" variant="gradient" gradient={{ from: 'indigo', to: 'violet', deg: 135 }}>
        <IconArrowsExchange size={icon * 0.6} stroke={2} />
      </ThemeIcon>
      <Text fw={700} fz={size === 'lg' ? 26 : 19} style={{ letterSpacing: '-0.02em' }}>
        Conduit
      </Text>
    </Group>
  );
}
