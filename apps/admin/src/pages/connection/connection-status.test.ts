import { describe, expect, it } from 'vitest';
import { connectionPath, isConnectionTab, isCrmKind, scopeInWords } from './connection-status';

describe('connectionPath', () => {
  it("names the CRM, not the connection's id, and keeps the tab in ?tab= (the Overview needs none)", () => {
    expect(connectionPath('hubspot')).toBe('/settings/integrations/hubspot');
    expect(connectionPath('hubspot', 'overview')).toBe('/settings/integrations/hubspot');
    expect(connectionPath('salesforce', 'api-budget')).toBe('/settings/integrations/salesforce?tab=api-budget');
  });
});

describe('URL parts', () => {
  it('accepts only the known CRMs and tabs', () => {
    expect(isCrmKind('salesforce')).toBe(true);
    expect(isCrmKind('pipedrive')).toBe(false);
    expect(isCrmKind(undefined)).toBe(false);
    expect(isConnectionTab('failures')).toBe(true);
    expect(isConnectionTab('settings')).toBe(false);
    expect(isConnectionTab(null)).toBe(false);
  });
});

describe('scopeInWords', () => {
  it('says what a scope lets Conduit do, and falls back to the scope for one it does not know', () => {
    expect(scopeInWords('crm.objects.contacts.write')).toBe('Create and update contacts');
    expect(scopeInWords('refresh_token')).toBe('Stay connected without asking you to sign in again');
    expect(scopeInWords('crm.objects.invoices.read')).toBe('crm.objects.invoices.read');
  });
});
