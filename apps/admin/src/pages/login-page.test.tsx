import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders, stubFetch } from '../test/render';
import { LoginPage, safeNext } from './login-page';

afterEach(() => vi.unstubAllGlobals());

const session = { user: { id: 'u1', name: 'Ada', email: 'admin@conduit.local', role: 'admin', createdAt: '' }, workspace: { id: 'w1', name: 'Demo' } };

function stubAuth(loginStatus: number) {
  const stub = stubFetch(({ url, method }) => {
    if (url.pathname === '/api/auth/me') return { status: 401, body: { statusCode: 401, error: 'Unauthorized', message: 'Not signed in' } };
    if (url.pathname === '/api/auth/login' && method === 'POST') {
      return loginStatus === 200
        ? { status: 200, body: session }
        : { status: loginStatus, body: { statusCode: loginStatus, error: 'Unauthorized', message: 'Invalid credentials' } };
    }
    throw new Error(`unexpected ${method} ${url.pathname}`);
  });
  vi.stubGlobal('fetch', stub.fetchStub);
  return stub;
}

function fillAndSubmit() {
  fireEvent.change(screen.getByLabelText(/Email/), { target: { value: 'admin@conduit.local' } });
  fireEvent.change(screen.getByLabelText(/Password/), { target: { value: 'wrong' } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('LoginPage', () => {
  it('explains a rejected sign-in without leaving the page or triggering the 401 redirect', async () => {
    const { onUnauthorized } = renderWithProviders(<LoginPage />, { route: '/login' });
    stubAuth(401);
    fillAndSubmit();
    expect(await screen.findByTestId('login-error')).toHaveTextContent('Incorrect email or password');
    expect(screen.getByTestId('location')).toHaveTextContent('/login');
    expect(onUnauthorized.calls).toBe(0);
  });

  it('goes to the page asked for in ?next after signing in', async () => {
    stubAuth(200);
    renderWithProviders(<LoginPage />, { route: '/login?next=%2Fcompanies%3Fsearch%3Dacme' });
    fillAndSubmit();
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/companies?search=acme'));
  });

  it('validates the email before calling the API', async () => {
    const { calls } = stubAuth(200);
    renderWithProviders(<LoginPage />, { route: '/login' });
    fireEvent.change(screen.getByLabelText(/Email/), { target: { value: 'admin' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText('Enter a valid email address')).toBeInTheDocument();
    expect(calls.some((call) => call.url.pathname === '/api/auth/login')).toBe(false);
  });
});

describe('safeNext', () => {
  it('only follows paths inside the app', () => {
    expect(safeNext('/prospects/1')).toBe('/prospects/1');
    expect(safeNext('//evil.example')).toBe('/prospects');
    expect(safeNext('https://evil.example')).toBe('/prospects');
    expect(safeNext(null)).toBe('/prospects');
  });
});
