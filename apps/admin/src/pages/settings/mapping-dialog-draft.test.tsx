import type { ConnectionMappingDto } from '@conduit/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { contactsMapping, crmField } from '../../test/mapping-fixtures';
import { renderWithProviders, stubFetch } from '../../test/render';
import { MappingEditor } from './mapping-dialog';
import { draftsOf, hasUnsavedChanges } from './mapping-draft';

const saved: ConnectionMappingDto = contactsMapping({ fields: [crmField('email', 'Email'), crmField('conduit_segment', 'Segment')] });

describe('hasUnsavedChanges', () => {
  it('is false for the drafts a mapping starts with, true after a rule or custom row changes', () => {
    const start = draftsOf(saved);
    expect(hasUnsavedChanges(saved, start)).toBe(false);
    expect(hasUnsavedChanges(saved, { ...start, rules: { email: { importPriority: 'conduit', exportBehaviour: 'fill_if_empty' } } })).toBe(true);
    // A custom row added but not filled in yet is an edit too (it cannot be sent, but leaving would lose it).
    expect(hasUnsavedChanges(saved, { ...start, custom: [{ id: 99, key: '', crmField: null, importPriority: 'crm', exportBehaviour: 'fill_if_empty' }] })).toBe(true);
  });
});

describe('MappingEditor keeps unsaved edits across refetches', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('a refetch bringing a mapping saved elsewhere keeps the draft and offers to load it', async () => {
    let current = saved;
    const { fetchStub } = stubFetch(({ url, method }) => {
      if (url.pathname === '/api/connections' && method === 'GET') return { status: 200, body: [{ id: 'conn-1', crm: 'hubspot', state: 'connected' }] };
      if (url.pathname === '/api/connections/hubspot/discover' && method === 'POST') return { status: 200, body: { id: 'conn-1', crm: 'hubspot' } };
      if (url.pathname === '/api/connections/hubspot/mappings/contacts' && method === 'GET') return { status: 200, body: current };
      throw new Error(`unexpected ${method} ${url.pathname}`);
    });
    vi.stubGlobal('fetch', fetchStub);
    const { queryClient } = renderWithProviders(<MappingEditor crm="hubspot" opened />);
    const editor = await screen.findByTestId('mapping-editor');
    const emailRow = await within(editor).findByTestId('mapping-row-email');
    expect(within(editor).queryByTestId('mapping-unsaved')).not.toBeInTheDocument();
    // The Conduit field by its label only (#21): its key is for machines.
    expect(emailRow.querySelector('td')?.textContent).toBe('Email');

    const customRows = within(editor).getByTestId('custom-rows');
    fireEvent.click(within(customRows).getByRole('button', { name: 'Add custom row' }));
    fireEvent.change(await within(customRows).findByLabelText('Conduit custom attribute 1'), { target: { value: 'segment' } });
    await within(editor).findByTestId('mapping-unsaved');

    // Another admin saves a change; something invalidates the mapping (a discovery, a refetch).
    current = { ...saved, rows: [{ ...saved.rows[0]!, importPriority: 'conduit' }] };
    await queryClient.invalidateQueries({ queryKey: ['connections', 'hubspot', 'mapping'] });
    await within(editor).findByTestId('mapping-changed-elsewhere');
    expect(within(customRows).getByLabelText('Conduit custom attribute 1')).toHaveValue('segment');

    fireEvent.click(within(editor).getByRole('button', { name: 'Discard my changes and load it' }));
    await waitFor(() => expect(within(editor).queryByTestId('mapping-unsaved')).not.toBeInTheDocument());
    expect(within(customRows).queryByLabelText('Conduit custom attribute 1')).not.toBeInTheDocument();
    expect(within(editor).queryByTestId('mapping-changed-elsewhere')).not.toBeInTheDocument();
  });
});
