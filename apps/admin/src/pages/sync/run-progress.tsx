import { Group, Progress, Stack, Text } from '@mantine/core';
import { useSyncRun } from '../../api/sync';
import { formatEta } from './sync-format';

/** Live progress of an open run: polls GET /sync/runs/:id every 2 s (done/total, rate, ETA). */
export function RunProgress({ runId }: { runId: string }) {
  const run = useSyncRun(runId);
  const p = run.data?.progress;
  if (!run.data || !p) return <Progress value={100} animated striped aria-label="Sync progress" />;
  const known = p.total !== null && p.total > 0;
  const percent = known ? Math.min(100, (p.done / (p.total ?? 1)) * 100) : 100;
  return (
    <Stack gap={4} data-testid={`run-progress-${runId}`}>
      <Progress value={percent} animated={run.data.status !== 'done'} striped={!known} aria-label="Sync progress" />
      <Group gap="md">
        <Text size="xs">
          {p.done.toLocaleString('en')} {known ? `of ${(p.total ?? 0).toLocaleString('en')}` : ''} {(known ? p.total : p.done) === 1 ? 'record' : 'records'}
        </Text>
        <Text size="xs" c="dimmed">
          {p.recordsPerSecond === null ? '—' : `${p.recordsPerSecond.toLocaleString('en')} records/s`}
        </Text>
        {run.data.status === 'running' || run.data.status === 'pending' ? (
          <Text size="xs" c="dimmed">
            ETA {known ? formatEta(p.etaSeconds) : 'unknown'}
          </Text>
        ) : null}
        <Text size="xs" c="dimmed">
          {run.data.status}
        </Text>
      </Group>
    </Stack>
  );
}
