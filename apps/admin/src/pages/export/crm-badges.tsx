import type { CrmKind } from '@conduit/contracts';
import { Badge, Group, Text } from '@mantine/core';
import type { PersonCrmLink } from '../../api/export';

const LABEL: Record<CrmKind, string> = { hubspot: 'HubSpot', salesforce: 'Salesforce' };
const OBJECT_LABEL: Record<string, string> = { contact: 'Contact', lead: 'Lead' };

/** One badge per CRM the person is linked to, opening the CRM record (the sandbox's record page for sandbox connections). */
export function CrmBadges({ links, personName }: { links: readonly PersonCrmLink[] | undefined; personName: string }) {
  if (!links || links.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        —
      </Text>
    );
  }
  return (
    <Group gap={4} wrap="nowrap">
      {links.map((l) => (
        <Badge
          key={`${l.crm}:${l.crmId}`}
          component="a"
          href={l.recordUrl}
          target="_blank"
          rel="noreferrer"
          variant="light"
          color={l.crm === 'hubspot' ? 'orange' : 'blue'}
          size="sm"
          tt="none"
          style={{ cursor: 'pointer' }}
          aria-label={`Open ${personName} in ${LABEL[l.crm]} (${OBJECT_LABEL[l.object] ?? l.object})`}
          data-testid={`crm-badge-${l.crm}`}
          onClick={(event: React.MouseEvent) => event.stopPropagation()}
        >
          {LABEL[l.crm]}
        </Badge>
      ))}
    </Group>
  );
}
