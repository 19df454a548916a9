import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders, stubFetch } from '../../test/render';
import { PersonFormModal, createPersonBody, personPatch } from './person-form-modal';

afterEach(() => vi.unstubAllGlobals());

const empty = {
  firstName: '',
  lastName: '',
  email: '',
  phone: '',
  jobTitle: '',
  companyName: '',
  city: '',
  country: '',
  linkedinUrl: '',
  leadStatus: '',
  engagementState: 'not_contacted' as const,
  assignedUserId: '',
  qualificationReasoning: '',
};

describe('person bodies', () => {
  it('sends only filled fields on create', () => {
    expect(createPersonBody({ ...empty, firstName: ' Ada ', email: 'ada@x.io' })).toEqual({
      firstName: 'Ada',
      email: 'ada@x.io',
      engagementState: 'not_contacted',
    });
  });

  it('sends only changed fields on edit, and null for a field emptied on purpose', () => {
    const initial = { ...empty, firstName: 'Ada', city: 'London', assignedUserId: 'u1' };
    // A cleared Select hands back null.
    const cleared = { ...initial, firstName: 'Augusta', city: '  ', assignedUserId: null as unknown as string };
    expect(personPatch(cleared, initial)).toEqual({ firstName: 'Augusta', city: null, assignedUserId: null });
  });
});

describe('PersonFormModal', () => {
  it('shows the API validation errors next to the fields', async () => {
    const { fetchStub, calls } = stubFetch(({ url, method }) => {
      if (url.pathname === '/api/team' && method === 'GET') return { status: 200, body: [] };
      if (url.pathname === '/api/people' && method === 'POST') {
        return {
          status: 400,
          body: {
            statusCode: 400,
            error: 'Bad Request',
            message: 'Validation failed',
            errors: [
              { field: 'email', messages: ['email must be an email'] },
              { field: 'linkedinUrl', messages: ['linkedinUrl must be a URL address'] },
            ],
          },
        };
      }
      throw new Error(`unexpected ${method} ${url.pathname}`);
    });
    vi.stubGlobal('fetch', fetchStub);
    const onClose = vi.fn();
    renderWithProviders(<PersonFormModal opened onClose={onClose} person={null} />);

    fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'not-an-email' } });
    fireEvent.change(screen.getByLabelText('LinkedIn URL'), { target: { value: 'linkedin' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add prospect' }));

    expect(await screen.findByText('Email must be an email address, like name@company.com')).toBeInTheDocument();
    expect(screen.getByText('LinkedIn URL must be a full web address, like https://example.com')).toBeInTheDocument();
    expect(screen.getByLabelText('Email')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByTestId('form-error')).toHaveTextContent('Please fix the highlighted fields.');
    expect(onClose).not.toHaveBeenCalled();
    const post = calls.find((call) => call.method === 'POST');
    expect(JSON.parse(post?.body ?? '{}')).toEqual({ email: 'not-an-email', linkedinUrl: 'linkedin', engagementState: 'not_contacted' });
  });

  it('closes after a successful create', async () => {
    const { fetchStub } = stubFetch(({ url, method }) => {
      if (url.pathname === '/api/team') return { status: 200, body: [] };
      if (url.pathname === '/api/people' && method === 'POST') return { status: 201, body: { id: 'p1', firstName: 'Ada', lastName: null, email: null } };
      throw new Error(`unexpected ${method} ${url.pathname}`);
    });
    vi.stubGlobal('fetch', fetchStub);
    const onClose = vi.fn();
    renderWithProviders(<PersonFormModal opened onClose={onClose} person={null} />);
    fireEvent.change(screen.getByLabelText('First name'), { target: { value: 'Ada' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add prospect' }));
    await waitFor(() => expect(onClose).toHaveBeenCalledOnce());
  });
});
