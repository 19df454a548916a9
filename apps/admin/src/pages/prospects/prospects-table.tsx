import type { Page, PeopleQuery, PersonDto } from '@conduit/contracts';
import { Anchor, Avatar, Badge, Button, Group, Text } from '@mantine/core';
import { IconFileImport, IconPlus, IconUsers } from '@tabler/icons-react';
import { Link } from 'react-router';
import { EngagementBadge } from '../../components/engagement-badge';
import { DataTable, dateColumn, noMatchEmpty, type DataTableColumn } from '../../components/data-table';
import type { ListFooterProps } from '../../components/list-footer';
import { initials, leadStatusLabel, personName } from '../../lib/format';
import type { PeopleSort } from '../../lib/list-params';
import { usePeopleCrmLinks, type PersonCrmLink } from '../../api/export';
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
  /** The page controls under the table. */
  pagination?: ListFooterProps;
}

function prospectColumns(props: ProspectsTableProps, crmLinks: readonly PersonCrmLink[] | undefined): DataTableColumn<PersonDto>[] {
  const { sort, order, onSort } = props;
  const sortBy = (column: PeopleSort) => ({ active: sort === column, order, onSort: () => onSort(column) });
  return [
    {
      key: 'name',
      header: 'Name',
      sort: sortBy('lastName'),
      cell: (person) => (
        <Group gap="sm" wrap="nowrap">
          <Avatar size={34} radius="xl" color="indigo" variant="light">
            {initials(personName(person))}
          </Avatar>
          <div style={{ minWidth: 0 }}>
            <Anchor component={Link} to={`/prospects/${person.id}`} fw={600} size="sm" c="var(--mantine-color-text)" onClick={(event) => event.stopPropagation()}>
              {personName(person)}
            </Anchor>
            {person.email && (
              <Text size="xs" c="dimmed" truncate title={person.email}>
                {person.email}
              </Text>
            )}
          </div>
        </Group>
      ),
    },
    { key: 'company', header: 'Company', sort: sortBy('companyName'), cell: (person) => <Text size="sm">{person.companyName ?? '—'}</Text> },
    {
      key: 'jobTitle',
      header: 'Job title',
      cell: (person) => (
        <Text size="sm" c={person.jobTitle ? undefined : 'dimmed'} lineClamp={2} title={person.jobTitle ?? undefined}>
          {person.jobTitle ?? '—'}
        </Text>
      ),
    },
    {
      key: 'leadStatus',
      header: 'Lead status',
      minWidth: 150,
      cell: (person) =>
        person.leadStatus ? (
          <Badge variant="outline" color="gray" radius="sm" size="sm" tt="none">
            {leadStatusLabel(person.leadStatus)}
          </Badge>
        ) : (
          <Text size="sm" c="dimmed">
            —
          </Text>
        ),
    },
    { key: 'engagement', header: 'Engagement', minWidth: 150, cell: (person) => <EngagementBadge state={person.engagementState} /> },
    { key: 'crm', header: 'CRM', cell: (person) => <CrmBadges links={crmLinks?.filter((l) => l.personId === person.id)} personName={personName(person)} /> },
    dateColumn('added', 'Added', (person) => person.createdAt, { sort: sortBy('createdAt'), width: 130 }),
    { key: 'actions', width: 56, cell: (person) => <ProspectRowActions person={person} onOpen={props.onOpen} onEdit={props.onEdit} onDelete={props.onDelete} /> },
  ];
}

export function ProspectsTable(props: ProspectsTableProps) {
  const { data } = props;
  const crmLinks = usePeopleCrmLinks(data?.items.map((p) => p.id) ?? []);
  return (
    <DataTable
      label="Prospects"
      columns={prospectColumns(props, crmLinks.data)}
      rows={data?.items}
      rowKey={(person) => person.id}
      rowProps={(person) => ({ style: { cursor: 'pointer' }, onClick: () => props.onOpen(person) })}
      busy={props.isLoading}
      error={data ? null : props.error}
      errorTitle="Could not load prospects"
      onRetry={props.onRetry}
      empty={
        props.filtered
          ? noMatchEmpty({
              title: 'No prospects match your search',
              description: 'Try another name, email or company, or clear the filters.',
              clearLabel: 'Clear filters',
              onClear: props.onClearFilters,
            })
          : {
              title: 'No prospects yet — add one or import a CSV',
              description: 'Prospects you research land here, ready to qualify and push to your CRM.',
              icon: <IconUsers size={28} />,
              actions: (
                <>
                  <Button leftSection={<IconPlus size={16} />} onClick={props.onAdd}>
                    Add prospect
                  </Button>
                  <Button variant="default" leftSection={<IconFileImport size={16} />} onClick={props.onImport}>
                    Import CSV
                  </Button>
                </>
              ),
            }
      }
      minWidth={860}
      highlightOnHover
      horizontalSpacing="md"
      headerBg="gray.0"
      pagination={props.pagination}
    />
  );
}
