import type { CrmKind, SyncRunDto } from '@conduit/contracts';
import { Anchor, Button, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconRefresh } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { useSyncNow } from '../../api/sync';
import { errorMessage } from '../../components/error-state';
import { CRM_LABELS } from '../settings/mapping-draft';

type Outcome = { kind: 'started' | 'running'; run: SyncRunDto; message: string } | { kind: 'error'; message: string };

/**
 * "Sync now" for a connection (#21): reads the CRM's changes since the last sync at once. Says what happened in words
 * under the button and in a notification — started, already running (the open run, linked), or why not.
 * `onRun` is told of the run it started or found (the Import tab follows its progress).
 */
export function ConnectionSyncNow({ crm, connectionId, onRun, size = 'sm', disabledReason }: { crm: CrmKind; connectionId: string; onRun?: (run: SyncRunDto) => void; size?: 'xs' | 'sm'; disabledReason?: string | null }) {
  const syncNow = useSyncNow(connectionId);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const name = CRM_LABELS[crm];
  const start = () =>
    syncNow.mutate(undefined, {
      onSuccess: ({ started, run, message }) => {
        setOutcome({ kind: started ? 'started' : 'running', run, message });
        onRun?.(run);
        notifications.show({ color: started ? 'teal' : 'blue', title: started ? 'Sync started' : 'Already syncing', message: started ? `${name} changes are being read now.` : message });
      },
      onError: (e) => {
        setOutcome({ kind: 'error', message: errorMessage(e) });
        notifications.show({ color: 'red', title: 'Sync not started', message: errorMessage(e) });
      },
    });
  return (
    <Stack gap={4} align="flex-start">
      <Button
        size={size}
        variant="light"
        leftSection={<IconRefresh size={14} />}
        onClick={start}
        loading={syncNow.isPending}
        disabled={Boolean(disabledReason)}
        title={disabledReason ?? `Reads the records changed in ${name} since the last sync, now`}
        data-testid={`sync-now-${crm}`}
      >
        Sync now
      </Button>
      {outcome && (
        <Text size="xs" c={outcome.kind === 'error' ? 'red' : 'dimmed'} data-testid={`sync-now-feedback-${crm}`} data-outcome={outcome.kind} role={outcome.kind === 'error' ? 'alert' : 'status'}>
          {outcome.kind === 'error' ? (
            `Not started: ${outcome.message}`
          ) : (
            <>
              {outcome.kind === 'started' ? `Sync started: reading ${name} changes now.` : `${outcome.message}.`}{' '}
              <Anchor component={Link} to={`/settings/sync-history/${outcome.run.id}`} inherit>
                See its progress
              </Anchor>
            </>
          )}
        </Text>
      )}
    </Stack>
  );
}
