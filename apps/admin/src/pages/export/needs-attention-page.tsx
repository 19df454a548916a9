import { Anchor, Badge, Button, Card, Skeleton, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { Link } from 'react-router';
import { isApiError } from '../../api/client';
import { useNeedsAttention, useRetryNeedsAttention } from '../../api/export';
import { ErrorState } from '../../components/error-state';
import { PageHeader } from '../../components/page-header';
import { formatDateTime } from '../../lib/format';
import { CRM_LABEL } from '../prospects/use-push-person';

/** People an export could not write, with the reason (the CRM's own words when the CRM refused), and a retry. */
export function NeedsAttentionPage() {
  const items = useNeedsAttention();
  const retry = useRetryNeedsAttention();
  return (
    <>
      <PageHeader title="Needs attention" description="Prospects an export could not write to your CRM. Fix the prospect or the property mapping, then retry." />
      <Card padding={0}>
        {items.isPending ? (
          <Stack p="lg" gap="sm">
            <Skeleton h={14} />
            <Skeleton h={14} />
            <Skeleton h={14} w="70%" />
          </Stack>
        ) : items.error ? (
          <ErrorState error={items.error} onRetry={() => void items.refetch()} />
        ) : items.data.length === 0 ? (
          <Text p="lg" c="dimmed">
            Nothing needs attention: every export went through.
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={760}>
            <Table verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Prospect</Table.Th>
                  <Table.Th>CRM</Table.Th>
                  <Table.Th>Reason</Table.Th>
                  <Table.Th>Attempts</Table.Th>
                  <Table.Th>Last try</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.data.map((item) => (
                  <Table.Tr key={item.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/prospects/${item.personId}`} size="sm">
                        {item.personName ?? item.personEmail ?? 'Unnamed prospect'}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={item.crm === 'hubspot' ? 'orange' : 'blue'}>
                        {CRM_LABEL[item.crm]}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{item.reason}</Text>
                      <Text size="xs" c="dimmed">
                        {item.source === 'crm' ? 'Refused by the CRM' : 'Checked before sending'} · {item.code}
                        {item.fields.length ? ` · ${item.fields.join(', ')}` : ''}
                      </Text>
                    </Table.Td>
                    <Table.Td>{item.attempts}</Table.Td>
                    <Table.Td>
                      <Text size="sm" c="dimmed">
                        {formatDateTime(item.updatedAt)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Button
                        size="xs"
                        variant="default"
                        loading={retry.isPending && retry.variables === item.id}
                        onClick={() =>
                          retry.mutate(item.id, {
                            onSuccess: (r) =>
                              notifications.show(
                                r.outcome === 'needs_attention'
                                  ? { color: 'orange', title: 'Still not exported', message: r.reason ?? '' }
                                  : { color: 'teal', title: `Exported to ${CRM_LABEL[item.crm]}`, message: item.personName ?? item.personEmail ?? '' },
                              ),
                            onError: (e) => notifications.show({ color: 'red', title: 'Retry failed', message: isApiError(e) ? e.message : String(e) }),
                          })
                        }
                      >
                        Retry
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>
    </>
  );
}
