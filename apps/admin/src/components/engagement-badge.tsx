import type { EngagementState } from '@conduit/contracts';
import { Badge } from '@mantine/core';
import { ENGAGEMENT_COLORS, ENGAGEMENT_LABELS } from '../lib/format';

export function EngagementBadge({ state, size = 'sm' }: { state: EngagementState; size?: 'xs' | 'sm' | 'md' | 'lg' }) {
  return (
    <Badge variant="light" color={ENGAGEMENT_COLORS[state]} size={size} radius="sm" tt="none">
      {ENGAGEMENT_LABELS[state]}
    </Badge>
  );
}
