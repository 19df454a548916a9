import type { CrmKind, NeedsAttentionDto } from '@conduit/contracts';
import { Anchor, Badge, Box, Button, Card, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { Link } from 'react-router';
import { isApiError } from '../../api/client';
import { useNeedsAttention, useRetryNeedsAttention } from '../../api/export';
import { DataTable, dateColumn, type DataTableColumn } from '../../components/data-table';
import { PageHeader } from '../../components/page-header';
import { ConsentDeliveriesCard } from '../activity/consent-deliveries';
import { CRM_LABEL } from '../prospects/use-push-person';

function RetryButton({ item }: { item: NeedsAttentionDto }) {
  const retry = useRetryNeedsAttention();
  return (
    <Button
      size="xs"
      variant="default"
      loading={retry.isPending}
      onClick={() =>
        retry.mutate(item.id, {
          onSuccess: (r) =>
            notifications.show(
              r.outcome === 'needs_attention'
                ? { color: 'orange', title: 'Still not exported', message: r.reason ?? '' }
                : r.outcome === 'queued'
                  ? { color: 'blue', title: `Queued for ${CRM_LABEL[item.crm]}`, message: r.reason ?? '' }
                  : { color: 'teal', title: `Exported to ${CRM_LABEL[item.crm]}`, message: item.personName ?? item.personEmail ?? '' },
            ),
          onError: (e) => notifications.show({ color: 'red', title: 'Retry failed', message: isApiError(e) ? e.message : String(e) }),
        })
      }
    >
      Retry
    </Button>
  );
}

const COLUMNS: DataTableColumn<NeedsAttentionDto>[] = [
  {
    key: 'prospect',
    header: 'Prospect',
    cell: (item) => (
      <Anchor component={Link} to={`/prospects/${item.personId}`} size="sm">
        {item.personName ?? item.personEmail ?? 'Unnamed prospect'}
      </Anchor>
    ),
  },
  {
    key: 'crm',
    header: 'CRM',
    cell: (item) => (
      <Badge variant="light" color={item.crm === 'hubspot' ? 'orange' : 'blue'}>
        {CRM_LABEL[item.crm]}
      </Badge>
    ),
  },
  {
    key: 'reason',
    header: 'Reason',
    cell: (item) => (
      <>
        <Text size="sm">{item.reason}</Text>
        <Text size="xs" c="dimmed" title={item.code}>
          {item.source === 'crm' ? `${CRM_LABEL[item.crm]}'s answer` : 'Checked before sending'}
          {item.fields.length ? ` · ${item.fields.join(', ')}` : ''}
        </Text>
      </>
    ),
  },
  { key: 'attempts', header: 'Attempts', cell: (item) => item.attempts },
  dateColumn('lastTry', 'Last try', (item) => item.updatedAt, { time: true }),
  { key: 'actions', cell: (item) => <RetryButton item={item} /> },
];

/** People an export could not write (to one CRM, or to any), with the reason and a retry. */
export function NeedsAttentionTable({ crm }: { crm?: CrmKind }) {
  const items = useNeedsAttention();
  return (
    <Card padding={0}>
      <DataTable
        label="Needs attention"
        columns={crm ? COLUMNS.filter((c) => c.key !== 'crm') : COLUMNS}
        rows={crm ? items.data?.filter((i) => i.crm === crm) : items.data}
        rowKey={(item) => item.id}
        error={items.error}
        onRetry={() => void items.refetch()}
        empty={{ title: 'No prospect needs attention', description: 'Every export went through.' }}
        minWidth={760}
        skeletonRows={3}
      />
    </Card>
  );
}

/** People an export could not write, with the reason (the CRM's own words when the CRM refused), and a retry. */
export function NeedsAttentionPage() {
  return (
    <>
      <PageHeader title="Needs attention" description="What could not be written to your CRM: prospects an export could not write, and opt-outs or bounces the CRM refused. Fix the cause, then retry." />
      <NeedsAttentionTable />
      <Box mt="lg">
        <ConsentDeliveriesCard
          status="failed"
          title="Opt-outs and bounces not written"
          description="The CRM refused an unsubscribe or a bounce, or kept failing. Fix what its reason says, then retry: these must reach the CRM."
          emptyTitle="Every opt-out and bounce reached your CRMs"
          emptyDescription="Failed ones appear here with the CRM's reason."
        />
      </Box>
    </>
  );
}
