import type { CrmRecordRefDto } from '@conduit/contracts';
import { Anchor, Stack, Text } from '@mantine/core';
import { IconExternalLink } from '@tabler/icons-react';
import { Link } from 'react-router';

const CRM_NAME = { hubspot: 'HubSpot', salesforce: 'Salesforce' } as const;

/** What each CRM calls a record's object (Salesforce: Lead, Contact, Account, Opportunity). */
const OBJECT_NAME: Record<keyof typeof CRM_NAME, Partial<Record<string, string>>> = {
  hubspot: { contact: 'contact', company: 'company', deal: 'deal', lead: 'lead' },
  salesforce: { contact: 'Contact', lead: 'Lead', company: 'Account', deal: 'Opportunity' },
};

/** "HubSpot contact", "Salesforce Lead", "Salesforce record" (object unknown). */
export function crmRecordNoun(record: Pick<CrmRecordRefDto, 'crm' | 'crmObject'>): string {
  const object = record.crmObject ? (OBJECT_NAME[record.crm][record.crmObject] ?? record.crmObject) : 'record';
  return `${CRM_NAME[record.crm]} ${object}`;
}

/** The record's Conduit page, when it is linked to a person or company. */
export function conduitHref(record: Pick<CrmRecordRefDto, 'personId' | 'companyId'>): string | null {
  return record.personId ? `/prospects/${record.personId}` : record.companyId ? `/companies/${record.companyId}` : null;
}

/**
 * A CRM record in words (#21): its name, linked to its Conduit page when it has one, and under it "HubSpot contact ↗"
 * linked to the record in the CRM. A record Conduit knows no name for reads "Unnamed HubSpot contact"; the id is only in
 * the tooltip (and `data-crm-id`, for machines).
 */
export function CrmRecordRef({ record, testId }: { record: CrmRecordRefDto; testId?: string }) {
  const noun = crmRecordNoun(record);
  const href = conduitHref(record);
  const name = record.name ?? `Unnamed ${noun}`;
  return (
    <Stack gap={0} data-testid={testId} data-crm-id={record.crmId} title={`${noun} ${record.crmId}`} style={{ minWidth: 0 }}>
      {href ? (
        <Anchor component={Link} to={href} size="sm" style={{ overflowWrap: 'anywhere' }} data-testid="record-conduit-link">
          {name}
        </Anchor>
      ) : (
        <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
          {name}
        </Text>
      )}
      {record.crmRecordUrl ? (
        <Anchor href={record.crmRecordUrl} target="_blank" rel="noreferrer" size="xs" c="dimmed" data-testid="record-crm-link">
          {noun}
          <IconExternalLink size={11} style={{ marginLeft: 2, verticalAlign: 'middle' }} aria-label={`opens in ${CRM_NAME[record.crm]}`} />
        </Anchor>
      ) : (
        <Text size="xs" c="dimmed">
          {noun}
        </Text>
      )}
    </Stack>
  );
}
