import type { CrmKind, RunSlowdownDto } from '@conduit/contracts';
import { Alert, Text } from '@mantine/core';
import { IconHourglassHigh } from '@tabler/icons-react';
import { describeSlowdown } from './sync-format';

/**
 * How much the CRM's rate limits (429s) and retries slowed a sync or export run: "Slowed by 37 s: 12 throttled calls
 * (429) retried", and how long calls waited for the rate budget. Shown on the run page and in the bulk export dialog.
 */
export function RunSlowdown({ slowdown, crm }: { slowdown: RunSlowdownDto; crm: CrmKind }) {
  const { slowed, headline, pacing } = describeSlowdown(slowdown, crm);
  return (
    <Alert color={slowed ? 'yellow' : 'gray'} variant="light" icon={<IconHourglassHigh size={18} />} data-testid="run-slowdown" p="sm">
      <Text size="sm" fw={slowed ? 600 : undefined}>
        {headline}
      </Text>
      {pacing && (
        <Text size="xs" c="dimmed" mt={4}>
          {pacing}
        </Text>
      )}
    </Alert>
  );
}
