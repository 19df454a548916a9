import type { CompanyDto } from '@conduit/contracts';
import { ActionIcon, Anchor, Avatar, Button, CloseButton, EmptyState, Group, Menu, Paper, Stack, Table, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconBuildingSkyscraper, IconDots, IconFilterOff, IconPencil, IconPlus, IconSearch, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { useCompanies, useDeleteCompany } from '../../api/companies';
import { ConfirmModal } from '../../components/confirm-modal';
import { ErrorState } from '../../components/error-state';
import { ListFooter } from '../../components/list-footer';
import { PageHeader } from '../../components/page-header';
import { SortableTh } from '../../components/sortable-th';
import { TableSkeletonRows } from '../../components/table-skeleton';
import { formatDate, initials } from '../../lib/format';
import { DEFAULT_PAGE_SIZE, nextSort, parseCompanyParams } from '../../lib/list-params';
import { useDebouncedSearchParam, useListParams } from '../../lib/use-list-params';
import { CompanyFormModal } from './company-form-modal';

function websiteHref(company: CompanyDto): string | null {
  const raw = company.website ?? company.domain;
  if (!raw) return null;
  return /^https?:\/\//i.test(raw) ? raw : `https://${raw}`;
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
  const [deleting, setDeleting] = useState<CompanyDto | null>(null);
  const remove = useDeleteCompany();

  const openForm = (company: CompanyDto | null) => {
    setEditing(company);
    setFormOpen(true);
  };
  const closeDelete = () => {
    setDeleting(null);
    remove.reset();
  };

  const data = companies.data;
  let body;
  if (companies.error && !data) {
    body = (
      <Stack p="md">
        <ErrorState error={companies.error} title="Could not load companies" onRetry={() => void companies.refetch()} />
      </Stack>
    );
  } else if (data && data.items.length === 0) {
    body = query.search ? (
      <EmptyState py={56} icon={<IconFilterOff size={28} />} withIndicatorBackground title="No companies match your search" description="Try another name or domain.">
        <EmptyState.Actions>
          <Button variant="default" onClick={() => update({ search: null })}>
            Clear search
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    ) : (
      <EmptyState
        py={56}
        variant="light"
        icon={<IconBuildingSkyscraper size={28} />}
        title="No companies yet"
        description="Companies group your prospects by account. Add one, or they appear as you import prospects."
      >
        <EmptyState.Actions>
          <Button leftSection={<IconPlus size={16} />} onClick={() => openForm(null)}>
            Add company
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    );
  } else {
    body = (
      <Table.ScrollContainer minWidth={760}>
        <Table highlightOnHover verticalSpacing="sm" horizontalSpacing="md" aria-label="Companies">
          <Table.Thead bg="gray.0">
            <Table.Tr>
              <SortableTh active={query.sort === 'name'} order={query.order} onSort={() => update(nextSort(query, 'name'))}>
                Company
              </SortableTh>
              <Table.Th>Industry</Table.Th>
              <SortableTh active={query.sort === 'employeeCount'} order={query.order} onSort={() => update(nextSort(query, 'employeeCount'))} width={140}>
                Employees
              </SortableTh>
              <Table.Th>Location</Table.Th>
              <SortableTh active={query.sort === 'createdAt'} order={query.order} onSort={() => update(nextSort(query, 'createdAt'))} width={130}>
                Added
              </SortableTh>
              <Table.Th w={56}>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {!data ? (
              <TableSkeletonRows columns={6} />
            ) : (
              data.items.map((company) => {
                const href = websiteHref(company);
                return (
                  <Table.Tr key={company.id}>
                    <Table.Td>
                      <Group gap="sm" wrap="nowrap">
                        <Avatar size={34} radius="md" color="violet" variant="light">
                          {initials(company.name)}
                        </Avatar>
                        <div style={{ minWidth: 0 }}>
                          <Anchor component={Link} to={`/companies/${company.id}`} size="sm" fw={600} c="inherit">
                            {company.name}
                          </Anchor>
                          {href && (
                            <Anchor href={href} target="_blank" rel="noreferrer" size="xs" c="dimmed">
                              {company.domain ?? company.website}
                            </Anchor>
                          )}
                        </div>
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c={company.industry ? undefined : 'dimmed'}>
                        {company.industry ?? '—'}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{company.employeeCount?.toLocaleString('en') ?? '—'}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{[company.city, company.country].filter(Boolean).join(', ') || '—'}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c="dimmed">
                        {formatDate(company.createdAt)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Menu position="bottom-end" shadow="md" width={180}>
                        <Menu.Target>
                          <ActionIcon variant="subtle" color="gray" aria-label="Row actions">
                            <IconDots size={18} />
                          </ActionIcon>
                        </Menu.Target>
                        <Menu.Dropdown>
                          <Menu.Item leftSection={<IconPencil size={16} />} onClick={() => openForm(company)}>
                            Edit
                          </Menu.Item>
                          <Menu.Item color="red" leftSection={<IconTrash size={16} />} onClick={() => setDeleting(company)}>
                            Delete
                          </Menu.Item>
                        </Menu.Dropdown>
                      </Menu>
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
        {body}
        {data && data.total > 0 && (
          <ListFooter
            page={page}
            pageSize={pageSize}
            total={data.total}
            noun="companies"
            onPage={(next) => update({ page: next })}
            onPageSize={(size) => update({ pageSize: size })}
          />
        )}
      </Paper>
      <CompanyFormModal opened={formOpen} onClose={() => setFormOpen(false)} company={editing} />
      <ConfirmModal
        opened={deleting !== null}
        title="Delete company"
        confirmLabel="Delete"
        onClose={closeDelete}
        loading={remove.isPending}
        error={remove.error}
        onConfirm={() => {
          if (!deleting) return;
          remove.mutate(deleting.id, {
            onSuccess: () => {
              notifications.show({ color: 'teal', title: 'Company deleted', message: deleting.name });
              closeDelete();
            },
          });
        }}
      >
        {deleting ? `Delete ${deleting.name}? This cannot be undone.` : ''}
      </ConfirmModal>
    </>
  );
}
