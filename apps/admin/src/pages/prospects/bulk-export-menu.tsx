import type { CrmKind, PeopleQuery } from '@conduit/contracts';
import { Button, Group, Menu, Modal, Progress, Stack, Text } from '@mantine/core';
import { IconCloudUpload } from '@tabler/icons-react';
import { useState } from 'react';
import { isApiError } from '../../api/client';
import { useExportRun, useStartExport } from '../../api/export';
import { CRM_LABEL, usePushFlow } from './use-push-person';

const REASONS: Record<string, string> = { below_policy: 'below the export policy', no_email_or_name: 'no email or name', not_found: 'not found' };

/**
 * "Export to CRM" for the prospects the current filters show: follows the connection's export policy (who has been
 * contacted / replied), runs as a job, and shows its progress and how many were skipped and why.
 */
export function BulkExportMenu({ filter }: { filter: Pick<PeopleQuery, 'search' | 'engagementState' | 'leadStatus'> }) {
  const { connected } = usePushFlow();
  const start = useStartExport();
  const [runId, setRunId] = useState<string | null>(null);
  const [crm, setCrm] = useState<CrmKind | null>(null);
  const run = useExportRun(runId);
  const crms = (['hubspot', 'salesforce'] as const).filter((c) => connected(c));
  if (crms.length === 0) return null;
  const begin = (target: CrmKind) => {
    setCrm(target);
    start.mutate(
      { crm: target, body: { filter: { ...(filter.search ? { search: filter.search } : {}), ...(filter.engagementState ? { engagementState: filter.engagementState } : {}), ...(filter.leadStatus ? { leadStatus: filter.leadStatus } : {}) } } },
      { onSuccess: (r) => setRunId(r.id) },
    );
  };
  const r = run.data;
  const percent = r && r.total > 0 ? Math.round((r.processed / r.total) * 100) : r?.status === 'done' ? 100 : 0;
  return (
    <>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Button variant="default" leftSection={<IconCloudUpload size={16} />} loading={start.isPending}>
            Export to CRM
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>Prospects shown, per the export policy</Menu.Label>
          {crms.map((c) => (
            <Menu.Item key={c} onClick={() => begin(c)}>
              Export to {CRM_LABEL[c]}
            </Menu.Item>
          ))}
        </Menu.Dropdown>
      </Menu>
      <Modal opened={runId !== null || start.isError} onClose={() => { setRunId(null); start.reset(); }} title={crm ? `Export to ${CRM_LABEL[crm]}` : 'Export'}>
        {start.isError ? (
          <Text c="red">{isApiError(start.error) ? start.error.message : 'The export could not start'}</Text>
        ) : (
          <Stack gap="sm">
            <Progress value={percent} animated={r?.status !== 'done'} aria-label="Export progress" />
            <Text size="sm">
              {r ? `${r.processed} of ${r.total} exported${r.status === 'done' ? '' : '…'}` : 'Starting…'}
            </Text>
            {r && (
              <Group gap="md">
                <Text size="sm">Created {r.created}</Text>
                <Text size="sm">Updated {r.updated}</Text>
                <Text size="sm">Unchanged {r.unchanged}</Text>
                <Text size="sm" c={r.needsAttention ? 'orange' : undefined}>
                  Needs attention {r.needsAttention}
                </Text>
              </Group>
            )}
            {r && r.skipped > 0 && (
              <Text size="sm" c="dimmed">
                Skipped {r.skipped}:{' '}
                {Object.entries(r.skippedReasons)
                  .map(([reason, n]) => `${n} ${REASONS[reason] ?? reason}`)
                  .join(', ')}
              </Text>
            )}
            {r?.status === 'failed' && <Text c="red">The export failed: {r.error}</Text>}
          </Stack>
        )}
      </Modal>
    </>
  );
}
