import type { ErasureAuditDto, ErasureHubspotStatus } from '@conduit/contracts';
import { Alert, Badge, Button, Card, Checkbox, FileInput, Group, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconFileTypeCsv } from '@tabler/icons-react';
import { useState } from 'react';
import { useSession } from '../../api/auth';
import { useEraseCsv, useErasureAudit } from '../../api/erasure';
import { ConfirmModal } from '../../components/confirm-modal';
import { DataTable, dateColumn, type DataTableColumn } from '../../components/data-table';
import { errorMessage } from '../../components/error-state';
import { PageHeader } from '../../components/page-header';
import { usePushFlow } from '../prospects/use-push-person';

const SOURCE_LABEL: Record<ErasureAuditDto['source'], string> = { person: 'Prospect page', emails: 'API (list of emails)', csv: 'CSV upload' };
const HUBSPOT_LABEL: Record<ErasureHubspotStatus, { label: string; color: string }> = {
  not_requested: { label: 'Not requested', color: 'gray' },
  pending: { label: 'Deleting…', color: 'blue' },
  done: { label: 'Deleted', color: 'teal' },
  failed: { label: 'Failed', color: 'red' },
};

const plural = (n: number, one: string, many: string) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

const COLUMNS: DataTableColumn<ErasureAuditDto>[] = [
  dateColumn('when', 'When', (e) => e.createdAt, { time: true }),
  { key: 'who', header: 'Erased by', cell: (e) => <Text size="sm">{e.actorName ?? (e.actorApiKeyId ? 'An API key' : 'A former member')}</Text> },
  { key: 'how', header: 'From', cell: (e) => <Text size="sm">{SOURCE_LABEL[e.source]}</Text> },
  {
    key: 'count',
    header: 'Erased',
    cell: (e) => (
      <>
        <Text size="sm">{plural(e.peopleErased, 'prospect', 'prospects')}</Text>
        {e.emailsSuppressed > e.peopleErased && (
          <Text size="xs" c="dimmed">
            {plural(e.emailsSuppressed - e.peopleErased, 'other email', 'other emails')} blocked
          </Text>
        )}
      </>
    ),
  },
  {
    key: 'hubspot',
    header: 'HubSpot',
    cell: (e) => (
      <Stack gap={2}>
        <Badge variant="light" color={HUBSPOT_LABEL[e.hubspotStatus].color} style={{ flexShrink: 0 }}>
          {HUBSPOT_LABEL[e.hubspotStatus].label}
        </Badge>
        {e.hubspotRequested > 0 && (
          <Text size="xs" c="dimmed">
            {e.hubspotDeleted + e.hubspotNotFound} of {plural(e.hubspotRequested, 'contact', 'contacts')}
          </Text>
        )}
        {e.hubspotReason && (
          <Text size="xs" c="red.7" maw={320} style={{ overflowWrap: 'anywhere' }}>
            {e.hubspotReason}
          </Text>
        )}
      </Stack>
    ),
  },
];

/** Erase many people from a CSV of emails (admins). */
function BulkErase() {
  const [file, setFile] = useState<File | null>(null);
  const [deleteInHubspot, setDeleteInHubspot] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const erase = useEraseCsv();
  const { connected } = usePushFlow();
  const hubspot = connected('hubspot');

  const run = async () => {
    if (!file) return;
    erase.mutate(
      { csv: await file.text(), deleteInHubspot: hubspot && deleteInHubspot },
      {
        onSuccess: (r) => {
          setConfirming(false);
          setFile(null);
          notifications.show({
            color: 'teal',
            title: `${plural(r.erased, 'prospect', 'prospects')} erased`,
            message:
              (r.suppressedOnly > 0 ? `${plural(r.suppressedOnly, 'email was', 'emails were')} not in Conduit and will never be imported. ` : '') +
              (r.hubspotDeletes > 0 ? `HubSpot is deleting ${plural(r.hubspotDeletes, 'contact', 'contacts')}.` : ''),
            autoClose: 10_000,
          });
        },
      },
    );
  };

  return (
    <Card padding="lg">
      <Title order={4} mb={4}>
        Erase people from a CSV
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        For data-subject requests in bulk. The file needs an Email column. Everyone with one of these emails is erased from Conduit, and every
        email is blocked from being imported or added again — even those Conduit has not seen yet.
      </Text>
      <Stack gap="sm" maw={560}>
        <FileInput
          label="CSV file"
          placeholder="Choose a .csv file"
          accept=".csv,text/csv"
          leftSection={<IconFileTypeCsv size={18} />}
          value={file}
          onChange={(value) => {
            erase.reset();
            setFile(value);
          }}
          clearable
        />
        {hubspot && (
          <Checkbox
            checked={deleteInHubspot}
            onChange={(e) => setDeleteInHubspot(e.currentTarget.checked)}
            label="Also delete these contacts in HubSpot"
            description="HubSpot deletes them permanently (its GDPR delete)."
          />
        )}
        {connected('salesforce') && (
          <Text size="xs" c="dimmed">
            Salesforce Leads and Contacts are not deleted by Conduit: delete them in Salesforce if your policy requires it.
          </Text>
        )}
        {erase.isError && !confirming && (
          <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} role="alert">
            {errorMessage(erase.error)}
          </Alert>
        )}
        <Group>
          <Button color="red" disabled={!file} onClick={() => setConfirming(true)}>
            Erase everyone in this file…
          </Button>
        </Group>
      </Stack>
      <ConfirmModal
        opened={confirming}
        title="Erase everyone in this file?"
        confirmLabel="Erase permanently"
        onClose={() => {
          setConfirming(false);
          erase.reset();
        }}
        loading={erase.isPending}
        error={erase.error}
        onConfirm={() => void run()}
      >
        {`Everyone in ${file?.name ?? 'the file'} is erased from Conduit for good${hubspot && deleteInHubspot ? ' and deleted in HubSpot' : ''}. This cannot be undone.`}
      </ConfirmModal>
    </Card>
  );
}

/** Privacy: bulk erasure and the erasure log (who erased how many, when — never whom). */
export function PrivacyPage() {
  const session = useSession();
  const isAdmin = session.data?.user.role === 'admin';
  const audit = useErasureAudit();
  return (
    <>
      <PageHeader
        title="Privacy"
        description="Erase people who ask to be forgotten. Conduit keeps only a salted fingerprint of their email so they are never imported or contacted again."
      />
      <Stack gap="lg">
        {isAdmin ? (
          <BulkErase />
        ) : (
          <Alert color="gray" variant="light">
            Only admins can erase people.
          </Alert>
        )}
        <Card padding={0}>
          <Text fw={600} p="md" pb={0}>
            Erasure log
          </Text>
          <DataTable
            label="Erasure log"
            columns={COLUMNS}
            rows={audit.data}
            rowKey={(e) => e.id}
            error={audit.error}
            onRetry={() => void audit.refetch()}
            empty={{ title: 'No one has been erased yet', description: 'Erase a person from their prospect page, or many at once from a CSV above.' }}
            minWidth={720}
            skeletonRows={2}
          />
        </Card>
      </Stack>
    </>
  );
}
