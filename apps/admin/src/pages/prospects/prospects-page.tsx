import { ENGAGEMENT_STATES, type PersonDto } from '@conduit/contracts';
import { Button, CloseButton, Group, Loader, Paper, Select, TextInput } from '@mantine/core';
import { IconFileImport, IconPlus, IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { usePeople } from '../../api/people';
import { PageHeader } from '../../components/page-header';
import { ENGAGEMENT_LABELS, leadStatusOptions } from '../../lib/format';
import { DEFAULT_PAGE_SIZE, nextSort, parsePeopleParams } from '../../lib/list-params';
import { useDebouncedSearchParam, useListParams } from '../../lib/use-list-params';
import { BulkExportMenu } from './bulk-export-menu';
import { CsvImportModal } from './csv-import-modal';
import { PersonFormModal } from './person-form-modal';
import { ProspectsTable } from './prospects-table';
import { useDeletePersonFlow } from './use-delete-person-flow';

const engagementOptions = ENGAGEMENT_STATES.map((state) => ({ value: state, label: ENGAGEMENT_LABELS[state] }));

export function ProspectsPage() {
  const navigate = useNavigate();
  const [params, update] = useListParams();
  const query = parsePeopleParams(params);
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? DEFAULT_PAGE_SIZE;
  const [search, setSearch] = useDebouncedSearchParam();
  const people = usePeople({ ...query, page, pageSize });

  const [editing, setEditing] = useState<PersonDto | null>(null);
  const [formOpen, setFormOpen] = useState(false);
  const [importOpen, setImportOpen] = useState(false);
  const { askDelete, modal: deleteModal } = useDeletePersonFlow();

  const filtered = Boolean(query.search || query.engagementState || query.leadStatus);
  const statusOptions = leadStatusOptions(query.leadStatus);

  const openForm = (person: PersonDto | null) => {
    setEditing(person);
    setFormOpen(true);
  };

  return (
    <>
      <PageHeader
        title="Prospects"
        description="Lead Research: everyone your team is working, ready to qualify and push to your CRM."
        actions={
          <>
            <BulkExportMenu filter={query} />
            <Button variant="default" leftSection={<IconFileImport size={16} />} onClick={() => setImportOpen(true)}>
              Import CSV
            </Button>
            <Button leftSection={<IconPlus size={16} />} onClick={() => openForm(null)}>
              Add prospect
            </Button>
          </>
        }
      />

      <Paper withBorder shadow="xs">
        <Group p="md" gap="sm" wrap="wrap" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
          <TextInput
            aria-label="Search prospects"
            placeholder="Search by name, email or company"
            leftSection={<IconSearch size={16} />}
            rightSection={
              people.isFetching && search ? (
                <Loader size={14} />
              ) : search ? (
                <CloseButton size="sm" aria-label="Clear search" onClick={() => setSearch('')} />
              ) : null
            }
            value={search}
            onChange={(event) => setSearch(event.currentTarget.value)}
            style={{ flex: '1 1 280px' }}
          />
          <Select
            aria-label="Filter by engagement"
            placeholder="Any engagement"
            data={engagementOptions}
            value={query.engagementState ?? null}
            onChange={(value) => update({ engagementState: value })}
            clearable
            w={200}
          />
          <Select
            aria-label="Filter by lead status"
            placeholder="Any lead status"
            data={statusOptions}
            value={query.leadStatus ?? null}
            onChange={(value) => update({ leadStatus: value })}
            clearable
            searchable
            w={200}
          />
        </Group>

        <ProspectsTable
          data={people.data}
          isLoading={people.isFetching}
          error={people.error}
          onRetry={() => void people.refetch()}
          sort={query.sort}
          order={query.order}
          onSort={(column) => update(nextSort(query, column))}
          filtered={filtered}
          onClearFilters={() => update({ search: null, engagementState: null, leadStatus: null })}
          onAdd={() => openForm(null)}
          onImport={() => setImportOpen(true)}
          onOpen={(person) => void navigate(`/prospects/${person.id}`)}
          onEdit={(person) => openForm(person)}
          onDelete={askDelete}
          pagination={
            people.data && {
              page,
              pageSize,
              total: people.data.total,
              noun: 'prospects',
              onPage: (next) => update({ page: next }),
              onPageSize: (size) => update({ pageSize: size }),
            }
          }
        />
      </Paper>

      <PersonFormModal opened={formOpen} onClose={() => setFormOpen(false)} person={editing} />
      <CsvImportModal opened={importOpen} onClose={() => setImportOpen(false)} />
      {deleteModal}
    </>
  );
}
