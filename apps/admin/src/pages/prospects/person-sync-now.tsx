import type { PersonSyncChangeDto, PersonSyncDto } from '@conduit/contracts';
import { Alert, Button, List, Stack, Text } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { usePersonSyncNow } from '../../api/sync';
import { errorMessage } from '../../components/error-state';
import { fieldLabel } from '../../lib/field-labels';
import { leadStatusLabel } from '../../lib/format';
import { CRM_LABEL } from './use-push-person';

const shown = (change: PersonSyncChangeDto, value: string | null) => (value === null ? 'empty' : change.field === 'leadStatus' ? leadStatusLabel(value) : value);

/** "Job title: VP Sales → Head of Sales", in labels (a lead status by its label, an empty value as "empty"). */
export function describeChange(change: PersonSyncChangeDto): string {
  return `${fieldLabel(change.field)}: ${shown(change, change.before)} → ${shown(change, change.after)}`;
}

/** What a re-read did, in a few lines: the changed fields, then any record that could not be read and why. */
export function PersonSyncResult({ result }: { result: PersonSyncDto }) {
  const problems = result.records.filter((r) => r.outcome === 'failed' || r.outcome === 'skipped' || r.outcome === 'not_found');
  const color = problems.length ? 'yellow' : 'teal';
  const title = result.changes.length ? result.message.split(';')[0] : result.records.length ? 'Already up to date' : 'Nothing to re-read';
  return (
    <Alert color={color} variant="light" title={title} data-testid="person-sync-result">
      <Stack gap={4}>
        {result.changes.length > 0 && (
          <List size="sm" spacing={2}>
            {result.changes.map((c) => (
              <List.Item key={c.field} style={{ overflowWrap: 'anywhere' }}>
                {describeChange(c)}
              </List.Item>
            ))}
          </List>
        )}
        {result.records.length === 0 && <Text size="sm">Not linked to any CRM record yet.</Text>}
        {problems.map((p) => (
          <Text key={`${p.crm}:${p.crmId}`} size="sm" style={{ overflowWrap: 'anywhere' }}>
            {`${CRM_LABEL[p.crm]} ${p.crmObject}: ${p.reason ?? p.outcome}`}
          </Text>
        ))}
      </Stack>
    </Alert>
  );
}

/**
 * "Sync now" on the person page: re-reads the person from each connected CRM (import priority applies) and shows
 * what changed, or that it was already up to date. A re-read already running answers 409 in words.
 */
export function PersonSyncNow({ personId }: { personId: string }) {
  const sync = usePersonSyncNow(personId);
  return (
    <Stack gap="xs">
      <Button size="xs" variant="default" leftSection={<IconRefresh size={14} />} loading={sync.isPending} onClick={() => sync.mutate()} w="fit-content">
        Sync now
      </Button>
      {sync.data && <PersonSyncResult result={sync.data} />}
      {sync.error && (
        <Alert color="red" variant="light" title="Not synced">
          {errorMessage(sync.error)}
        </Alert>
      )}
    </Stack>
  );
}
