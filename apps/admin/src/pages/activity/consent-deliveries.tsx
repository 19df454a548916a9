import type { ConsentDeliveryRowDto, ConsentDeliveryStatus, ConsentEventTypeDto } from '@conduit/contracts';
import { Anchor, Badge, Button, Card, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { Link } from 'react-router';
import { isApiError } from '../../api/client';
import { useConsentDeliveries, useRetryConsentDelivery } from '../../api/consent';
import { DataTable, dateColumn, type DataTableColumn } from '../../components/data-table';

const CRM_NAMES = { hubspot: 'HubSpot', salesforce: 'Salesforce' } as const;

export const CONSENT_EVENT_LABELS: Record<ConsentEventTypeDto, string> = {
  unsubscribe: 'Unsubscribed',
  hard_bounce: 'Hard bounce',
  spam_complaint: 'Spam complaint',
};

const STATUS: Record<ConsentDeliveryStatus, { label: string; color: string }> = {
  pending: { label: 'Writing…', color: 'blue' },
  delivered: { label: 'Written', color: 'teal' },
  waiting_for_export: { label: 'Waiting for export', color: 'yellow' },
  failed: { label: 'Failed', color: 'red' },
};

function RetryButton({ delivery }: { delivery: ConsentDeliveryRowDto }) {
  const retry = useRetryConsentDelivery();
  if (delivery.status !== 'failed') return null;
  return (
    <Button
      size="xs"
      variant="default"
      loading={retry.isPending}
      onClick={() =>
        retry.mutate(delivery.id, {
          onSuccess: () => notifications.show({ color: 'teal', message: `Sending to ${CRM_NAMES[delivery.crm]} again` }),
          onError: (e) => notifications.show({ color: 'red', title: 'Retry failed', message: isApiError(e) ? e.message : String(e) }),
        })
      }
    >
      Retry
    </Button>
  );
}

const COLUMNS: DataTableColumn<ConsentDeliveryRowDto>[] = [
  { key: 'type', header: 'Event', cell: (d) => <Text size="sm" fw={500}>{CONSENT_EVENT_LABELS[d.type]}</Text> },
  {
    key: 'person',
    header: 'Person',
    cell: (d) => (
      <Anchor component={Link} to={`/prospects/${d.personId}`} size="sm">
        {d.personName ?? d.personEmail ?? 'Unnamed prospect'}
      </Anchor>
    ),
  },
  dateColumn('when', 'Reported', (d) => d.occurredAt, { time: true }),
  {
    key: 'crm',
    header: 'CRM',
    cell: (d) => (
      <Badge variant="light" color={d.crm === 'hubspot' ? 'orange' : 'blue'} style={{ flexShrink: 0 }}>
        {CRM_NAMES[d.crm]}
      </Badge>
    ),
  },
  {
    key: 'status',
    header: 'Status',
    cell: (d) => (
      <Stack gap={4}>
        <Badge variant="light" color={STATUS[d.status].color} radius="sm" style={{ flexShrink: 0 }} data-status={d.status}>
          {STATUS[d.status].label}
        </Badge>
        {d.status === 'waiting_for_export' && (
          <Text size="xs" c="dimmed">
            Written once the person is in {CRM_NAMES[d.crm]}
          </Text>
        )}
        {d.status === 'failed' && d.reason && (
          <Text size="xs" c="red.7" maw={320} style={{ overflowWrap: 'anywhere' }}>
            {d.reason}
          </Text>
        )}
      </Stack>
    ),
  },
  { key: 'attempts', header: 'Attempts', cell: (d) => d.attempts },
  { key: 'actions', cell: (d) => <RetryButton delivery={d} /> },
];

/**
 * Unsubscribes, hard bounces and spam complaints and where each stands in each CRM: the Activity log shows them all,
 * Needs attention the failed ones (with the CRM's reason and Retry).
 */
export function ConsentDeliveriesCard({ status, title, description, emptyTitle, emptyDescription }: { status?: ConsentDeliveryStatus; title: string; description: string; emptyTitle: string; emptyDescription: string }) {
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(10);
  const deliveries = useConsentDeliveries({ status: status ?? null, page, pageSize });
  return (
    <Card padding={0} data-testid="consent-deliveries">
      <Stack gap={2} p="md" pb={0}>
        <Text fw={600}>{title}</Text>
        <Text size="sm" c="dimmed">
          {description}
        </Text>
      </Stack>
      <DataTable
        label={title}
        columns={COLUMNS}
        rows={deliveries.data?.items}
        rowKey={(d) => d.id}
        rowProps={(d) => ({ 'data-testid': 'consent-delivery', 'data-person': d.personEmail ?? '', 'data-crm': d.crm })}
        busy={deliveries.isFetching}
        error={deliveries.error}
        onRetry={() => void deliveries.refetch()}
        empty={{ title: emptyTitle, description: emptyDescription }}
        minWidth={860}
        skeletonRows={2}
        pagination={
          deliveries.data && {
            page,
            pageSize,
            total: deliveries.data.total,
            noun: 'deliveries',
            onPage: setPage,
            onPageSize: (s) => {
              setPageSize(s);
              setPage(1);
            },
          }
        }
      />
    </Card>
  );
}
