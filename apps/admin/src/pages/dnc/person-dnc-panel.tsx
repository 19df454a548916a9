import type { CrmRecordRefDto, DealDto, DncReasonKind, PersonDncDto } from '@conduit/contracts';
import { Badge, Card, Group, Skeleton, Stack, Table, Text } from '@mantine/core';
import { IconBan, IconCircleCheck } from '@tabler/icons-react';
import { usePersonDnc } from '../../api/dnc';
import { useDealPipelines } from '../../api/workflows';
import { CrmRecordRef } from '../../components/crm-record-ref';
import { ErrorState } from '../../components/error-state';
import { formatDate } from '../../lib/format';
import { lifecycleLabel } from '../workflows/workflow-form';

const REASON_LABELS: Record<DncReasonKind, string> = { open_deal: 'Open deal', customer: 'Customer', domain: 'Do-not-contact domain' };

function dealState(d: DealDto): { label: string; color: string } {
  if (!d.isClosed) return { label: 'Open', color: 'blue' };
  return d.isWon ? { label: 'Won', color: 'teal' } : { label: 'Lost', color: 'gray' };
}

/** What one company status says, by CRM: HubSpot's lifecycle stage, Salesforce's account type. */
const STATUS_FIELD = { hubspot: 'lifecycle stage', salesforce: 'account type' } as const;
const statusWords = (record: CrmRecordRefDto, value: string | null) =>
  `their company is a customer in ${record.crm === 'hubspot' ? 'HubSpot' : 'Salesforce'} (${STATUS_FIELD[record.crm]}: ${value === null ? '—' : record.crm === 'hubspot' ? lifecycleLabel(value) : value})`;

/** One line of the reasons: its kind, a sentence when the records do not say it alone, the records it is about. */
export interface ReasonLine {
  key: string;
  reason: DncReasonKind;
  text: string | null;
  records: CrmRecordRefDto[];
}

/**
 * The reasons in words: the deal or company each is about (named, linked to its page in the CRM), the company's status
 * as the CRM says it, or the blocked domain — never a bare CRM id. The won deals of the company are one line (a
 * customer with ten won deals is one reason, not ten).
 */
export function reasonLines(reasons: PersonDncDto['reasons']): ReasonLine[] {
  const won = reasons.flatMap((r) => (r.reason === 'customer' && r.record?.crmObject === 'deal' ? [r.record] : []));
  const lines: ReasonLine[] = [];
  for (const r of reasons) {
    const key = `${r.reason}:${r.detail ?? ''}:${r.dealId ?? ''}`;
    if (r.reason === 'customer' && r.record?.crmObject === 'deal') {
      if (r.record === won[0]) lines.push({ key, reason: r.reason, text: won.length === 1 ? 'a deal of their company was won' : `${won.length} deals of their company were won`, records: won });
    } else if (r.reason === 'domain' || !r.record) {
      lines.push({ key, reason: r.reason, text: r.detail ?? '—', records: [] });
    } else {
      lines.push({ key, reason: r.reason, text: r.reason === 'customer' ? statusWords(r.record, r.detail) : null, records: [r.record] });
    }
  }
  return lines;
}

function ReasonWords({ line }: { line: ReasonLine }) {
  return (
    // minWidth 0 and wrapping anywhere: a long domain (meridianproperties.com) was cut off at the narrow card's edge.
    <Stack gap={2} style={{ minWidth: 0 }}>
      {line.text !== null && (
        <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
          {line.text}
        </Text>
      )}
      {line.records.map((record) => (
        <CrmRecordRef key={`${record.crm}:${record.crmId}`} record={record} testId="dnc-reason-record" />
      ))}
    </Stack>
  );
}

/** Person page: whether campaigns leave this person out, why, and the CRM deals behind it. */
export function PersonDncPanel({ personId }: { personId: string }) {
  const dnc = usePersonDnc(personId);
  // HubSpot keeps a deal's stage by its id (decisionmakerboughtin): named by the pipelines' labels once read.
  const hasHubspotDeal = dnc.data?.deals.some((d) => d.crm === 'hubspot') === true;
  const pipelines = useDealPipelines(hasHubspotDeal);
  const hubspotStages = new Map((pipelines.data ?? []).flatMap((p) => p.stages.map((st) => [st.id, st.label] as const)));
  return (
    <Card padding="lg" data-testid="person-dnc">
      <Group justify="space-between" mb="sm">
        <Text fw={600}>Do not contact</Text>
        {dnc.data &&
          (dnc.data.dnc ? (
            <Badge color="red" variant="light" radius="sm" leftSection={<IconBan size={12} />} data-dnc="true">
              Do not contact
            </Badge>
          ) : (
            <Badge color="teal" variant="light" radius="sm" leftSection={<IconCircleCheck size={12} />} data-dnc="false">
              Can be contacted
            </Badge>
          ))}
      </Group>
      {dnc.error ? (
        <ErrorState error={dnc.error} title="Could not load do-not-contact status" onRetry={() => void dnc.refetch()} />
      ) : !dnc.data ? (
        <Stack gap="xs">
          <Skeleton h={12} w="60%" />
          <Skeleton h={12} w="40%" />
        </Stack>
      ) : (
        <Stack gap="sm">
          {dnc.data.reasons.length > 0 ? (
            <Stack gap={4}>
              {reasonLines(dnc.data.reasons).map((line) => (
                <Group key={line.key} gap={6} align="flex-start" wrap="nowrap" data-reason={line.reason}>
                  <Text size="sm" fw={700} style={{ flexShrink: 0 }}>
                    {REASON_LABELS[line.reason]}:
                  </Text>
                  <ReasonWords line={line} />
                </Group>
              ))}
            </Stack>
          ) : (
            <Text size="sm" c="dimmed">
              {/* Their company's open deals do not count (only deals they are on do), so say which rules were met. */}
              Campaigns include them: they are on no open deal, their company is not a customer, and their email domain is not blocked.
            </Text>
          )}
          {dnc.data.deals.length > 0 && (
            <Text size="xs" c="dimmed" fw={600}>
              Deals they or their company are on
            </Text>
          )}
          {dnc.data.deals.length > 0 && (
            // One column: the panel sits in the page's narrow side column, where a stage and a date column squeezed
            // deal names to a letter a line (walkthrough).
            <Table fz="sm" verticalSpacing={6} aria-label="Deals">
              <Table.Tbody>
                {dnc.data.deals.map((d) => {
                  const state = dealState(d);
                  const facts = [
                    d.stage === null ? null : d.crm === 'hubspot' ? (hubspotStages.get(d.stage) ?? d.stage) : d.stage,
                    d.closeDate ? `closes ${formatDate(d.closeDate)}` : null,
                    d.amount === null ? null : d.amount.toLocaleString('en'),
                  ].filter((f): f is string => f !== null);
                  return (
                    <Table.Tr key={d.id} data-testid="dnc-deal" data-crm-id={d.crmId}>
                      <Table.Td>
                        <CrmRecordRef record={d.record} />
                        <Group gap={6} mt={2} wrap="nowrap" align="flex-start">
                          <Badge size="xs" variant="light" color={state.color} radius="sm" miw="fit-content" style={{ flexShrink: 0 }}>
                            {state.label}
                          </Badge>
                          <Text size="xs" c="dimmed" data-testid="dnc-deal-facts">
                            {facts.join(' · ')}
                          </Text>
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          )}
        </Stack>
      )}
    </Card>
  );
}
