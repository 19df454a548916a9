import type { CompaniesQuery, CompanyDto } from '@conduit/contracts';
import { ActionIcon, Anchor, Avatar, Button, CloseButton, Group, Menu, Paper, Text, TextInput } from '@mantine/core';
import { IconBuildingSkyscraper, IconDots, IconPencil, IconPlus, IconSearch, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { useCompanies, useDeleteCompany } from '../../api/companies';
import { useConfirmDelete } from '../../components/confirm-delete';
import { DataTable, dateColumn, noMatchEmpty, type DataTableColumn } from '../../components/data-table';
import { PageHeader } from '../../components/page-header';
import { initials } from '../../lib/format';
import { DEFAULT_PAGE_SIZE, nextSort, parseCompanyParams, type CompanySort } from '../../lib/list-params';
import { useDebouncedSearchParam, useListParams } from '../../lib/use-list-params';
import { CompanyFormModal } from './company-form-modal';

function websiteHref(company: CompanyDto): string | null {
  const raw = company.website ?? company.domain;
  if (!raw) return null;
  return /^https?:\/\//i.test(raw) ? raw : `https://${raw}`;
}

interface ColumnContext {
  query: CompaniesQuery;
  update: (changes: Record<string, string | number | null>) => void;
  onEdit: (company: CompanyDto) => void;
  onDelete: (company: CompanyDto) => void;
}

function companyColumns({ query, update, onEdit, onDelete }: ColumnContext): DataTableColumn<CompanyDto>[] {
  const sortBy = (column: CompanySort) => ({ active: query.sort === column, order: query.order, onSort: () => update(nextSort(query, column)) });
  return [
    {
      key: 'name',
      header: 'Company',
      sort: sortBy('name'),
      cell: (company) => {
        const href = websiteHref(company);
        return (
          <Group gap="sm" wrap="nowrap">
            <Avatar size={34} radius="md" color="violet" variant="light">
              {initials(company.name)}
            </Avatar>
            <div style={{ minWidth: 0 }}>
              {/* Name and domain each on its own line: two inline links would run together ("Acme Corpacme.com"). */}
              <Anchor component={Link} to={`/companies/${company.id}`} size="sm" fw={600} c="inherit" display="block">
                {company.name}
              </Anchor>
              {href && (
                <Anchor href={href} target="_blank" rel="noreferrer" size="xs" c="dimmed" display="block">
                  {company.domain ?? company.website}
                </Anchor>
              )}
            </div>
          </Group>
        );
      },
    },
    {
      key: 'industry',
      header: 'Industry',
      cell: (company) => (
        <Text size="sm" c={company.industry ? undefined : 'dimmed'}>
          {company.industry ?? '—'}
        </Text>
      ),
    },
    {
      key: 'employees',
      header: 'Employees',
      sort: sortBy('employeeCount'),
      width: 140,
      cell: (company) => <Text size="sm">{company.employeeCount?.toLocaleString('en') ?? '—'}</Text>,
    },
    { key: 'location', header: 'Location', cell: (company) => <Text size="sm">{[company.city, company.country].filter(Boolean).join(', ') || '—'}</Text> },
    dateColumn('added', 'Added', (company) => company.createdAt, { sort: sortBy('createdAt'), width: 130 }),
    {
      key: 'actions',
      width: 56,
      cell: (company) => (
        <Menu position="bottom-end" shadow="md" width={180}>
          <Menu.Target>
            <ActionIcon variant="subtle" color="gray" aria-label="Row actions">
              <IconDots size={18} />
            </ActionIcon>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Item leftSection={<IconPencil size={16} />} onClick={() => onEdit(company)}>
              Edit
            </Menu.Item>
            <Menu.Item color="red" leftSection={<IconTrash size={16} />} onClick={() => onDelete(company)}>
              Delete
            </Menu.Item>
          </Menu.Dropdown>
        </Menu>
      ),
    },
  ];
}

export function CompaniesPage() {
  const [params, update] = useListParams();
  const query = parseCompanyParams(params);
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? DEFAULT_PAGE_SIZE;
  const [search, setSearch] = useDebouncedSearchParam();
  const companies = useCompanies({ ...query, page, pageSize });
  const [editing, setEditing] = useState<CompanyDto | null>(null);
  const [formOpen, setFormOpen] = useState(false);
  const remove = useConfirmDelete({
    mutation: useDeleteCompany(),
    variables: (company: CompanyDto) => company.id,
    title: 'Delete company',
    message: (company) => `Delete ${company.name}? This cannot be undone.`,
    notify: (company) => ({ title: 'Company deleted', message: company.name }),
  });

  const openForm = (company: CompanyDto | null) => {
    setEditing(company);
    setFormOpen(true);
  };

  const data = companies.data;
  const columns = companyColumns({ query, update, onEdit: openForm, onDelete: remove.ask });

  return (
    <>
      <PageHeader
        title="Companies"
        description="The accounts your prospects work for."
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => openForm(null)}>
            Add company
          </Button>
        }
      />
      <Paper withBorder shadow="xs">
        <Group p="md" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
          <TextInput
            aria-label="Search companies"
            placeholder="Search by name or domain"
            leftSection={<IconSearch size={16} />}
            rightSection={search ? <CloseButton size="sm" aria-label="Clear search" onClick={() => setSearch('')} /> : null}
            value={search}
            onChange={(event) => setSearch(event.currentTarget.value)}
            style={{ flex: '1 1 280px' }}
            maw={420}
          />
        </Group>
        <DataTable
          label="Companies"
          columns={columns}
          rows={data?.items}
          rowKey={(company) => company.id}
          error={data ? null : companies.error}
          errorTitle="Could not load companies"
          onRetry={() => void companies.refetch()}
          empty={
            query.search
              ? noMatchEmpty({ title: 'No companies match your search', description: 'Try another name or domain.', clearLabel: 'Clear search', onClear: () => update({ search: null }) })
              : {
                  title: 'No companies yet',
                  description: 'Companies group your prospects by account. Add one, or they appear as you import prospects.',
                  icon: <IconBuildingSkyscraper size={28} />,
                  actions: (
                    <Button leftSection={<IconPlus size={16} />} onClick={() => openForm(null)}>
                      Add company
                    </Button>
                  ),
                }
          }
          minWidth={760}
          highlightOnHover
          horizontalSpacing="md"
          headerBg="gray.0"
          pagination={
            data && {
              page,
              pageSize,
              total: data.total,
              noun: 'companies',
              onPage: (next) => update({ page: next }),
              onPageSize: (size) => update({ pageSize: size }),
            }
          }
        />
      </Paper>
      <CompanyFormModal opened={formOpen} onClose={() => setFormOpen(false)} company={editing} />
      {remove.modal}
    </>
  );
}
