import type { ConnectionDto } from '@conduit/contracts';
import { Anchor, Group, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { formatDateTime } from '../../lib/format';
import { RUN_KIND_LABELS } from '../sync/sync-format';
import { connectionPath, useConnectionSummary } from './connection-status';

/** A label and its value on one line (the label column keeps its width; the value wraps under itself). */
export function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start" data-testid={testId}>
      <Text size="sm" c="dimmed" w={120} style={{ flexShrink: 0 }}>
        {label}
      </Text>
      <div style={{ minWidth: 0, flex: 1 }}>{children}</div>
    </Group>
  );
}

const changedWords = (n: number) => (n === 0 ? 'no changes' : n === 1 ? '1 record changed' : `${n.toLocaleString('en')} records changed`);

/** Last sync and open failures of a connection, each linking to where it is looked after. */
export function ConnectionSummaryFacts({ c }: { c: ConnectionDto }) {
  const { lastRun, running, openFailures } = useConnectionSummary(c);
  return (
    <Stack gap={6}>
      <Fact label="Last sync" testId={`last-sync-${c.crm}`}>
        {running ? (
          <Text size="sm">
            <Anchor component={Link} to={`/settings/sync-history/${running.id}`} inherit>
              {RUN_KIND_LABELS[running.kind]}
            </Anchor>{' '}
            running now
          </Text>
        ) : lastRun ? (
          <Text size="sm">
            <Anchor component={Link} to={`/settings/sync-history/${lastRun.id}`} inherit>
              {formatDateTime(lastRun.finishedAt)}
            </Anchor>{' '}
            <Text span size="sm" c={lastRun.status === 'failed' ? 'red' : 'dimmed'}>
              · {RUN_KIND_LABELS[lastRun.kind]}
              {lastRun.status === 'failed' ? ' failed' : `, ${changedWords(lastRun.counts.created + lastRun.counts.updated)}`}
            </Text>
          </Text>
        ) : (
          <Text size="sm" c="dimmed">
            No sync yet
          </Text>
        )}
      </Fact>
      <Fact label="Open failures" testId={`open-failures-${c.crm}`}>
        {openFailures === null ? (
          <Text size="sm" c="dimmed">
            —
          </Text>
        ) : openFailures === 0 ? (
          <Text size="sm">None</Text>
        ) : (
          <Anchor component={Link} to={connectionPath(c.crm, 'failures')} size="sm" c="red.7">
            {openFailures === 1 ? '1 prospect not exported' : `${openFailures.toLocaleString('en')} prospects not exported`}
          </Anchor>
        )}
      </Fact>
    </Stack>
  );
}
