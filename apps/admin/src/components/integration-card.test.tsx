import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../test/render';
import { IntegrationCard, type ConnectionStatus } from './integration-card';

function renderCard(status: ConnectionStatus, handlers: { onConnect?: () => void; onDisconnect?: () => void } = {}) {
  renderWithProviders(<IntegrationCard name="HubSpot" description="Sync" logo={null} capabilities={['Contacts']} status={status} {...handlers} />);
}

describe('IntegrationCard', () => {
  it('shows a disabled Connect and the reason while connections are not available', () => {
    renderCard({ state: 'unavailable', reason: 'CRM connections arrive in a later release.' }, { onConnect: vi.fn() });
    expect(screen.getByRole('button', { name: 'Connect HubSpot' })).toBeDisabled();
    expect(screen.getByText('CRM connections arrive in a later release.')).toBeInTheDocument();
    expect(screen.getByText('Coming soon')).toBeInTheDocument();
  });

  it('lets the user connect when disconnected', () => {
    const onConnect = vi.fn();
    renderCard({ state: 'disconnected' }, { onConnect });
    fireEvent.click(screen.getByRole('button', { name: 'Connect HubSpot' }));
    expect(onConnect).toHaveBeenCalledOnce();
  });

  it('shows the account once and links to the connection page once connected', () => {
    renderWithProviders(
      <IntegrationCard
        name="HubSpot"
        description="Sync"
        logo={null}
        capabilities={['Contacts']}
        status={{ state: 'connected', accountName: 'Acme portal 123', connectedAt: '2026-01-05T10:00:00.000Z' }}
        manageHref="/settings/integrations/hubspot"
        summary={<p>Last sync: never</p>}
      />,
    );
    expect(screen.getByText('Connected')).toBeInTheDocument();
    expect(screen.getAllByText('Acme portal 123')).toHaveLength(1);
    expect(screen.getByText('Last sync: never')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Connect HubSpot' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Disconnect' })).not.toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Manage HubSpot' })).toHaveAttribute('href', '/settings/integrations/hubspot');
  });

  it('offers to reconnect after an error', () => {
    renderCard({ state: 'error', message: 'Token expired' }, { onConnect: vi.fn() });
    expect(screen.getByText('Needs attention')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Reconnect HubSpot' })).toBeEnabled();
  });

  it('asks to reconnect (and still allows disconnect) when the CRM revoked access', () => {
    const onConnect = vi.fn();
    const onDisconnect = vi.fn();
    renderCard({ state: 'needs_reconnect', message: 'HubSpot refused the refresh token' }, { onConnect, onDisconnect });
    expect(screen.getByText('Needs reconnect')).toBeInTheDocument();
    expect(screen.getByText('HubSpot refused the refresh token')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Reconnect HubSpot' }));
    expect(onConnect).toHaveBeenCalledOnce();
    fireEvent.click(screen.getByRole('button', { name: 'Disconnect' }));
    expect(onDisconnect).toHaveBeenCalledOnce();
  });

  it('shows members the status without any action', () => {
    renderWithProviders(
      <IntegrationCard name="HubSpot" description="Sync" logo={null} capabilities={[]} status={{ state: 'connected', accountName: 'Portal 1', connectedAt: '2026-01-05T10:00:00.000Z' }} readOnly />,
    );
    expect(screen.queryByRole('button')).not.toBeInTheDocument();
    expect(screen.getByText(/Only admins can/)).toBeInTheDocument();
  });
});
