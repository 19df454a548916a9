import type { Page, PersonDto } from '@conduit/contracts';
import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../../test/render';
import { ProspectsTable, type ProspectsTableProps } from './prospects-table';

function person(overrides: Partial<PersonDto>): PersonDto {
  return {
    id: 'p1',
    firstName: 'Ada',
    lastName: 'Lovelace',
    email: 'ada@analytical.io',
    phone: null,
    jobTitle: 'Head of Analytics',
    city: null,
    country: null,
    linkedinUrl: null,
    companyName: 'Analytical Engines',
    companyId: null,
    qualificationReasoning: null,
    leadStatus: 'IN_PROGRESS',
    engagementState: 'replied_positive',
    assignedUserId: null,
    customAttributes: {},
    createdAt: '2026-01-05T10:00:00.000Z',
    updatedAt: '2026-01-05T10:00:00.000Z',
    ...overrides,
  };
}

function page(items: PersonDto[]): Page<PersonDto> {
  return { items, total: items.length, page: 1, pageSize: 25 };
}

function renderTable(overrides: Partial<ProspectsTableProps>) {
  const props: ProspectsTableProps = {
    data: undefined,
    isLoading: false,
    error: null,
    onRetry: vi.fn(),
    sort: undefined,
    order: undefined,
    onSort: vi.fn(),
    filtered: false,
    onClearFilters: vi.fn(),
    onAdd: vi.fn(),
    onImport: vi.fn(),
    onOpen: vi.fn(),
    onEdit: vi.fn(),
    onDelete: vi.fn(),
    ...overrides,
  };
  renderWithProviders(<ProspectsTable {...props} />);
  return props;
}

describe('ProspectsTable', () => {
  it('invites to add or import when the workspace has no prospects', () => {
    const props = renderTable({ data: page([]) });
    expect(screen.getByText('No prospects yet — add one or import a CSV')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Import CSV' }));
    expect(props.onImport).toHaveBeenCalledOnce();
    fireEvent.click(screen.getByRole('button', { name: 'Add prospect' }));
    expect(props.onAdd).toHaveBeenCalledOnce();
  });

  it('says "no match" rather than "no data" when filters hide everything', () => {
    const props = renderTable({ data: page([]), filtered: true });
    expect(screen.queryByText('No prospects yet — add one or import a CSV')).not.toBeInTheDocument();
    expect(screen.getByText('No prospects match your search')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(props.onClearFilters).toHaveBeenCalledOnce();
  });

  it('shows skeleton rows while the first page loads', () => {
    renderTable({ data: undefined, isLoading: true });
    expect(screen.getAllByTestId('skeleton-row').length).toBeGreaterThan(0);
  });

  it('shows the error with a retry button when nothing could be loaded', () => {
    const props = renderTable({ error: new Error('Cannot reach the Conduit API') });
    expect(screen.getByRole('alert')).toHaveTextContent('Cannot reach the Conduit API');
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(props.onRetry).toHaveBeenCalledOnce();
  });

  it('renders a row per prospect with name, company and engagement', () => {
    const props = renderTable({
      data: page([person({}), person({ id: 'p2', firstName: null, lastName: null, email: 'anon@x.io', engagementState: 'contacted' })]),
    });
    const rows = screen.getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(within(rows[0]!).getByText('Ada Lovelace')).toBeInTheDocument();
    expect(within(rows[0]!).getByText('Analytical Engines')).toBeInTheDocument();
    expect(within(rows[0]!).getByText('Replied positive')).toBeInTheDocument();
    expect(within(rows[0]!).getByText('In progress')).toBeInTheDocument();
    // No name: fall back to the email.
    expect(within(rows[1]!).getAllByText('anon@x.io').length).toBeGreaterThan(0);
    fireEvent.click(rows[1]!);
    expect(props.onOpen).toHaveBeenCalledWith(expect.objectContaining({ id: 'p2' }));
  });

  it('marks the sorted column and asks for a new sort on click', () => {
    const props = renderTable({ data: page([person({})]), sort: 'lastName', order: 'desc' });
    const nameHeader = screen.getByRole('columnheader', { name: /Name/ });
    expect(nameHeader).toHaveAttribute('aria-sort', 'descending');
    fireEvent.click(within(screen.getByRole('columnheader', { name: /Company/ })).getByRole('button'));
    expect(props.onSort).toHaveBeenCalledWith('companyName');
  });
});
