import type { Page, PeopleQuery, PersonDto } from '@conduit/contracts';
import { Anchor, Avatar, Badge, Button, EmptyState, Group, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { IconFileImport, IconFilterOff, IconPlus, IconUsers } from '@tabler/icons-react';
import { Link } from 'react-router';
import { EngagementBadge } from '../../components/engagement-badge';
import { ErrorState } from '../../components/error-state';
import { SortableTh } from '../../components/sortable-th';
import { TableSkeletonRows } from '../../components/table-skeleton';
import { formatDate, initials, leadStatusLabel, personName } from '../../lib/format';
import type { PeopleSort } from '../../lib/list-params';
import { usePeopleCrmLinks } from '../../api/export';
import { CrmBadges } from '../export/crm-badges';
import { ProspectRowActions } from './prospect-row-actions';

export interface ProspectsTableProps {
  data: Page<PersonDto> | undefined;
  isLoading: boolean;
  error: unknown;
  onRetry: () => void;
  sort: PeopleQuery['sort'];
  order: PeopleQuery['order'];
  onSort: (column: PeopleSort) => void;
  /** Search or filters narrow the list: an empty result then means "no match", not "no data". */
  filtered: boolean;
  onClearFilters: () => void;
  onAdd: () => void;
  onImport: () => void;
  onOpen: (person: PersonDto) => void;
  onEdit: (person: PersonDto) => void;
  onDelete: (person: PersonDto) => void;
}

const COLUMNS = 8;

export function ProspectsTable(props: ProspectsTableProps) {
  const { data, isLoading, error, sort, order, onSort } = props;
  const crmLinks = usePeopleCrmLinks(data?.items.map((p) => p.id) ?? []);

  if (error && !data) {
    return (
      <Stack p="md">
        <ErrorState error={error} title="Could not load prospects" onRetry={props.onRetry} />
      </Stack>
    );
  }

  if (data && data.items.length === 0) {
    return props.filtered ? (
      <EmptyState
        py={56}
        icon={<IconFilterOff size={28} />}
        withIndicatorBackground
        title="No prospects match your search"
        description="Try another name, email or company, or clear the filters."
      >
        <EmptyState.Actions>
          <Button variant="default" onClick={props.onClearFilters}>
            Clear filters
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    ) : (
      <EmptyState
        py={56}
        variant="light"
        icon={<IconUsers size={28} />}
        title="No prospects yet — add one or import a CSV"
        description="Prospects you research land here, ready to qualify and push to your CRM."
      >
        <EmptyState.Actions>
          <Button leftSection={<IconPlus size={16} />} onClick={props.onAdd}>
            Add prospect
          </Button>
          <Button variant="default" leftSection={<IconFileImport size={16} />} onClick={props.onImport}>
            Import CSV
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    );
  }

  return (
    <Table.ScrollContainer minWidth={860}>
      <Table highlightOnHover verticalSpacing="sm" horizontalSpacing="md" aria-label="Prospects" aria-busy={isLoading}>
        <Table.Thead bg="gray.0">
          <Table.Tr>
            <SortableTh active={sort === 'lastName'} order={order} onSort={() => onSort('lastName')}>
              Name
            </SortableTh>
            <SortableTh active={sort === 'companyName'} order={order} onSort={() => onSort('companyName')}>
              Company
            </SortableTh>
            <Table.Th>Job title</Table.Th>
            <Table.Th miw={150}>Lead status</Table.Th>
            <Table.Th miw={150}>Engagement</Table.Th>
            <Table.Th>CRM</Table.Th>
            <SortableTh active={sort === 'createdAt'} order={order} onSort={() => onSort('createdAt')} width={130}>
              Added
            </SortableTh>
            <Table.Th w={56}>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {!data ? (
            <TableSkeletonRows columns={COLUMNS} />
          ) : (
            data.items.map((person) => {
              const name = personName(person);
              return (
                <Table.Tr key={person.id} style={{ cursor: 'pointer' }} onClick={() => props.onOpen(person)}>
                  <Table.Td>
                    <Group gap="sm" wrap="nowrap">
                      <Avatar size={34} radius="xl" color="indigo" variant="light">
                        {initials(name)}
                      </Avatar>
                      <div style={{ minWidth: 0 }}>
                        <Anchor
                          component={Link}
                          to={`/prospects/${person.id}`}
                          fw={600}
                          size="sm"
                          c="var(--mantine-color-text)"
                          onClick={(event) => event.stopPropagation()}
                        >
                          {name}
                        </Anchor>
                        {person.email && (
                          <Text size="xs" c="dimmed" truncate>
                            {person.email}
                          </Text>
                        )}
                      </div>
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{person.companyName ?? '—'}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c={person.jobTitle ? undefined : 'dimmed'} lineClamp={2}>
                      {person.jobTitle ?? '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {person.leadStatus ? (
                      <Badge variant="outline" color="gray" radius="sm" size="sm" tt="none">
                        {leadStatusLabel(person.leadStatus)}
                      </Badge>
                    ) : (
                      <Text size="sm" c="dimmed">
                        —
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <EngagementBadge state={person.engagementState} />
                  </Table.Td>
                  <Table.Td>
                    <CrmBadges links={crmLinks.data?.filter((l) => l.personId === person.id)} personName={name} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c="dimmed">
                      {formatDate(person.createdAt)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <ProspectRowActions person={person} onOpen={props.onOpen} onEdit={props.onEdit} onDelete={props.onDelete} />
                  </Table.Td>
                </Table.Tr>
              );
            })
          )}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
