import type { CrmKind, FieldDriftDto } from '@conduit/contracts';
import { Alert, Card, Stack, Text } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { isOpen, useSyncRun } from '../../api/sync';
import { formatDateTime } from '../../lib/format';
import { DryRunResult } from '../sync/dry-run-result';
import { RunProgress } from '../sync/run-progress';
import { CRM_LABELS } from './mapping-draft';

/** A mapping dry run in the dialog: live progress, then what saving the rows would change. */
export function MappingPreview({ runId }: { runId: string }) {
  const run = useSyncRun(runId);
  const data = run.data;
  return (
    <Card withBorder padding="md" data-testid="mapping-preview">
      <Text fw={600} size="sm" mb="xs">
        Preview: what saving this mapping would change in records already imported
      </Text>
      {!data || isOpen(data) ? (
        <Stack gap="xs">
          <Text size="sm">Reading the CRM and comparing with Conduit — nothing is saved or written…</Text>
          <RunProgress runId={runId} />
        </Stack>
      ) : data.status === 'failed' ? (
        <Alert color="red" title="The preview failed">
          {data.error ?? 'Unknown error'}
        </Alert>
      ) : (
        <Stack gap="sm">
          <DryRunResult run={data} />
        </Stack>
      )}
    </Card>
  );
}

/** The CRM's fields added, removed or changed since they were last read. */
export function DriftAlert({ drift, crm, at }: { drift: FieldDriftDto; crm: CrmKind; at: string | null }) {
  return (
    <Alert color="yellow" variant="light" icon={<IconInfoCircle size={18} />} title={`${CRM_LABELS[crm]} fields changed${at ? ` (${formatDateTime(at)})` : ''}`}>
      <Stack gap={2}>
        {drift.added.length > 0 && <Text size="sm">Added: {drift.added.join(', ')}</Text>}
        {drift.removed.length > 0 && <Text size="sm">Removed: {drift.removed.join(', ')}</Text>}
        {drift.changed.map((c) => (
          <Text size="sm" key={c.name}>
            Changed {c.name}: {c.changes.join('; ')}
          </Text>
        ))}
      </Stack>
    </Alert>
  );
}
