import type { AccountHygieneConfigDto, StageLifecycleConfigDto, ConnectionMappingDto, CrmFieldDto, MqlHandoffConfigDto } from '@conduit/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../../test/render';
import { MqlHandoffEditor } from './mql-handoff-editor';
import { AccountHygieneEditor, StageLifecycleEditor } from './workflow-editors';
import { toDraft, type MqlDraft } from './workflow-form';

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const field = (name: string, label: string, extra: Partial<CrmFieldDto> = {}): CrmFieldDto => ({ name, label, type: 'string', crmType: 'string', readOnly: false, custom: false, ...extra });

const HUBSPOT_CONTACTS: CrmFieldDto[] = [
  field('country', 'Country/Region'),
  field('email', 'Email'),
  field('hubspotscore', 'HubSpot Score', { type: 'number', readOnly: true }),
  field('conduit_score', 'Conduit score', { type: 'number', custom: true }),
  field('hs_lead_status', 'Lead Status', {
    crmType: 'enumeration',
    options: [
      { value: 'NEW', label: 'New' },
      { value: 'OPEN', label: 'Open' },
      { value: 'IN_PROGRESS', label: 'In Progress' },
    ],
  }),
  field('lifecyclestage', 'Lifecycle Stage', {
    options: [
      { value: 'lead', label: 'Lead' },
      { value: 'marketingqualifiedlead', label: 'Marketing Qualified Lead' },
      { value: 'salesqualifiedlead', label: 'Sales Qualified Lead' },
    ],
  }),
  field('hs_analytics_source', 'Original Source', {
    readOnly: true,
    options: [
      { value: 'ORGANIC_SEARCH', label: 'Organic Search' },
      { value: 'PAID_SEARCH', label: 'Paid Search' },
    ],
  }),
];

const SALESFORCE_LEAD: CrmFieldDto[] = [
  field('LastName', 'Last Name', { required: true }),
  field('Title', 'Title'),
  field('Email', 'Email'),
  field('Status', 'Lead Status', { options: [{ value: 'Open - Not Contacted', label: 'Open - Not Contacted' }, { value: 'Working - Contacted', label: 'Working - Contacted' }] }),
  field('LeadSource', 'Lead Source', { options: [{ value: 'Web', label: 'Web' }, { value: 'Partner Referral', label: 'Partner Referral' }] }),
  field('HubSpot_Contact_ID__c', 'HubSpot Contact ID', { custom: true }),
  field('CreatedDate', 'Created Date', { readOnly: true }),
];

const mapping = (crm: 'hubspot' | 'salesforce', object: 'contacts' | 'companies', fields: CrmFieldDto[]): ConnectionMappingDto => ({
  crm,
  object,
  crmObject: crm === 'hubspot' ? object : object === 'contacts' ? 'Lead' : 'Account',
  rows: [],
  isDefault: true,
  conduitFields: [],
  fields,
  issues: [],
  missingFields: [],
  drift: null,
  discoveredAt: '2026-01-01T00:00:00.000Z',
  unmapped: [],
});

function stubFields(answers: Record<string, Response | (() => Response)>) {
  const fetchMock = vi.fn((input: RequestInfo | URL, _init?: RequestInit) => {
    const path = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, 'http://localhost').pathname;
    const answer = answers[path];
    if (answer) return Promise.resolve(typeof answer === 'function' ? answer() : answer.clone());
    return Promise.reject(new Error(`unexpected GET ${path}`));
  });
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

const STAGES = ['Prospecting', 'Qualification', 'Closed Won', 'Closed Lost'].map((v) => ({ value: v, label: v }));

const BOTH_CONNECTED = {
  '/api/connections/hubspot/mappings/contacts': () => json(mapping('hubspot', 'contacts', HUBSPOT_CONTACTS)),
  '/api/connections/salesforce/mappings/contacts': () => json(mapping('salesforce', 'contacts', SALESFORCE_LEAD)),
  '/api/workflows/opportunity-stages': () => json(STAGES),
};

const CONFIG: MqlHandoffConfigDto = {
  triggerStage: 'marketingqualifiedlead',
  conditions: [{ property: '', operator: 'eq', value: '' }],
  fieldMap: [
    { hubspot: 'email', salesforce: 'Email' },
    { hubspot: null, salesforce: 'Status', default: 'Open - Not Contacted' },
  ],
  externalIdField: 'HubSpot_Contact_ID__c',
  leadSourceTable: [
    { from: 'ORGANIC_SEARCH', to: 'Web' },
    { from: 'PAID_SEARCH', to: 'Web' },
  ],
  leadSourceDefault: 'Other',
  owner: { kind: 'territory', territories: [{ country: 'Germany', state: null, ownerId: '005000000000001AAA' }], defaultOwnerId: null },
  opportunity: { enabled: false, stageName: 'Qualification', amount: null, closeInDays: 30 },
};

function renderMql(config: MqlHandoffConfigDto = CONFIG) {
  const drafts: MqlDraft[] = [];
  function Harness() {
    const [draft, setDraft] = useState(toDraft('mql_handoff', config).config as MqlDraft);
    return (
      <MqlHandoffEditor
        config={draft}
        onChange={(d) => {
          drafts.push(d);
          setDraft(d);
        }}
        errors={{}}
        readOnly={false}
      />
    );
  }
  renderWithProviders(<Harness />);
  return { last: () => drafts.at(-1) };
}

/** The input named `name` (an open dropdown's listbox carries the same name). */
function input(name: string): HTMLInputElement {
  const found = screen.getAllByLabelText(name).find((e): e is HTMLInputElement => e instanceof HTMLInputElement);
  if (!found) throw new Error(`no input named ${name}`);
  return found;
}

/** What the picker says under the input named like `el` (label of the value, or why it is not in the list). */
const hintOf = (el: HTMLElement) => el.closest('.mantine-InputWrapper-root')?.querySelector('[data-testid="picker-hint"]')?.textContent ?? null;

/** Waits until the input named `name` is a picker (its options loaded), not the plain text input it starts as. */
/** The fields arrive through react-query; a loaded 2-core machine can take a while to render them. */
const SLOW = { timeout: 15_000 };

const picker = (name: string) =>
  waitFor(
    () => {
      const el = input(name);
      expect(el).toHaveAttribute('aria-haspopup', 'listbox');
      return el;
    },
    SLOW,
  );

/** The options the open dropdown of `el` lists, as their accessible text (jsdom sees Mantine's dropdown as hidden). */
function optionsOf(el: HTMLInputElement): HTMLElement[] {
  const list = el.getAttribute('aria-controls');
  const box = list ? document.getElementById(list) : null;
  return box ? within(box).queryAllByRole('option', { hidden: true }) : [];
}
const optionTexts = (el: HTMLInputElement) => optionsOf(el).map((o) => o.textContent ?? '');
const option = (el: HTMLInputElement, name: RegExp | string) => {
  const found = optionsOf(el).find((o) => (typeof name === 'string' ? o.textContent === name : name.test(o.textContent ?? '')));
  if (!found) throw new Error(`no option ${String(name)} in ${optionTexts(el).join(' | ')}`);
  return found;
};

describe('workflow field pickers', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('offers HubSpot contact properties with label and API name, searched by either, custom fields marked', async () => {
    stubFields(BOTH_CONNECTED);
    const { last } = renderMql();
    const property = await picker('HubSpot property of condition 1');
    fireEvent.focus(property);
    fireEvent.click(property);
    await waitFor(() => expect(optionTexts(property)).toHaveLength(HUBSPOT_CONTACTS.length));
    expect(optionTexts(property)).toContain('Original Sourcehs_analytics_sourceoptions');

    fireEvent.change(property, { target: { value: 'score' } });
    await waitFor(() => expect(optionTexts(property)).toEqual(['HubSpot Scorehubspotscore', 'Conduit scoreconduit_scorecustom']));
    fireEvent.change(property, { target: { value: 'original' } });
    await waitFor(() => expect(optionTexts(property)).toEqual(['Original Sourcehs_analytics_sourceoptions']));
    fireEvent.change(property, { target: { value: 'score' } });
    await waitFor(() => expect(optionTexts(property)).toHaveLength(2));
    fireEvent.click(option(property, /conduit_score/));
    expect(last()?.conditions[0]?.property).toBe('conduit_score');
    expect(hintOf(input('HubSpot property of condition 1'))).toBe('Conduit score · custom');
    // The value's name follows the property it filters on.
    expect(input("Value for 'conduit_score'")).toBeInTheDocument();
  });

  it('keeps a name that is not discovered, marked for the API to decide', async () => {
    stubFields(BOTH_CONNECTED);
    const { last } = renderMql();
    fireEvent.change(await picker('HubSpot property of condition 1'), { target: { value: 'my_new_property' } });
    expect(last()?.conditions[0]?.property).toBe('my_new_property');
    expect(hintOf(input('HubSpot property of condition 1'))).toBe('Not a discovered HubSpot contact property: re-discover fields if it was just created');
  });

  it('re-discovers both CRMs on request and offers a property created since', async () => {
    let created = false;
    const fetchMock = stubFields({
      '/api/connections/hubspot/mappings/contacts': () => json(mapping('hubspot', 'contacts', created ? [...HUBSPOT_CONTACTS, field('budget_band', 'Budget band', { custom: true })] : HUBSPOT_CONTACTS)),
      '/api/connections/salesforce/mappings/contacts': () => json(mapping('salesforce', 'contacts', SALESFORCE_LEAD)),
      '/api/connections/hubspot/discover': () => {
        created = true;
        return json({ crm: 'hubspot' });
      },
      '/api/connections/salesforce/discover': () => json({ crm: 'salesforce' }),
      '/api/workflows/opportunity-stages': () => json(STAGES),
    });
    renderMql({ ...CONFIG, conditions: [{ property: 'budget_band', operator: 'is_known' }] });
    await waitFor(() => expect(hintOf(input('HubSpot property of condition 1'))).toBe('Not a discovered HubSpot contact property: re-discover fields if it was just created'), SLOW);
    fireEvent.click(screen.getByRole('button', { name: 'Re-discover fields' }));
    expect(await screen.findByText('Fields re-read', {}, SLOW)).toBeInTheDocument();
    await waitFor(() => expect(hintOf(input('HubSpot property of condition 1'))).toBe('Budget band · custom'), SLOW);
    const posts = fetchMock.mock.calls.filter(([, init]) => init?.method === 'POST').map(([i]) => (typeof i === 'string' ? i : i instanceof URL ? i.href : i.url));
    expect(posts).toEqual(['/api/connections/hubspot/discover', '/api/connections/salesforce/discover']);
  });

  it("offers an enumeration property's options as filter values (one, or several for is any of)", async () => {
    stubFields(BOTH_CONNECTED);
    const { last } = renderMql({ ...CONFIG, conditions: [{ property: 'hs_lead_status', operator: 'eq', value: 'NEW' }] });
    const value = await picker("Value for 'hs_lead_status'");
    expect(hintOf(value)).toBe('New');
    fireEvent.change(value, { target: { value: 'prog' } });
    await waitFor(() => expect(optionTexts(value)).toEqual(['In ProgressIN_PROGRESS']));
    fireEvent.click(option(value, /IN_PROGRESS/));
    expect(last()?.conditions[0]?.value).toBe('IN_PROGRESS');

    // "is any of": tags picked from the options, kept as the comma list the draft holds.
    const operator = input("Operator for 'hs_lead_status'");
    fireEvent.click(operator);
    await waitFor(() => expect(optionTexts(operator)).toContain('is any of'));
    fireEvent.click(option(operator, 'is any of'));
    const tags = input("Value for 'hs_lead_status'");
    expect(tags.closest('.mantine-TagsInput-root')).not.toBeNull();
    fireEvent.focus(tags);
    fireEvent.click(tags);
    await waitFor(() => expect(optionTexts(tags)).toEqual(['NewNEW', 'OpenOPEN']));
    fireEvent.click(option(tags, /OPEN/));
    expect(last()?.conditions[0]).toEqual({ property: 'hs_lead_status', operator: 'in', value: 'IN_PROGRESS, OPEN' });
  });

  it('offers only writable Lead fields as targets, and the target picklist values as its default', async () => {
    stubFields(BOTH_CONNECTED);
    const { last } = renderMql();
    const target = await picker('Salesforce Lead field of mapped field 1');
    fireEvent.focus(target);
    fireEvent.change(target, { target: { value: 'da' } });
    // CreatedDate is read-only: not offered (LeadSource matches its "da"-less label only by name parts).
    await waitFor(() => expect(input('Salesforce Lead field of mapped field 1')).toHaveValue('da'));
    expect(optionTexts(input('Salesforce Lead field of mapped field 1')).some((t) => t.includes('CreatedDate'))).toBe(false);
    fireEvent.change(input('Salesforce Lead field of mapped field 1'), { target: { value: 'CreatedDate' } });
    expect(hintOf(input('Salesforce Lead field of mapped field 1'))).toBe('Created Date is read-only');
    fireEvent.change(input('Salesforce Lead field of mapped field 1'), { target: { value: 'Email' } });

    const defaultValue = await picker("Default for 'Status'");
    fireEvent.focus(defaultValue);
    fireEvent.click(defaultValue);
    fireEvent.change(defaultValue, { target: { value: '' } });
    await waitFor(() => expect(optionTexts(defaultValue)).toEqual(['Open - Not Contacted', 'Working - Contacted']));
    fireEvent.click(option(defaultValue, 'Working - Contacted'));
    expect(last()?.fieldMap[1]?.default).toBe('Working - Contacted');
  });

  it('translates Lead Source between the two option lists', async () => {
    stubFields(BOTH_CONNECTED);
    const { last } = renderMql();
    const from = await picker('HubSpot source of Lead Source row 1');
    expect(hintOf(from)).toBe('Organic Search');
    const to = await picker("Salesforce Lead Source for 'PAID_SEARCH'");
    fireEvent.focus(to);
    fireEvent.change(to, { target: { value: 'part' } });
    await waitFor(() => expect(optionTexts(to)).toEqual(['Partner Referral']));
    fireEvent.click(option(to, 'Partner Referral'));
    expect(last()?.leadSourceTable[1]).toEqual({ from: 'PAID_SEARCH', to: 'Partner Referral' });
  });

  it('falls back to typed names, saying why, when a CRM is not connected', async () => {
    stubFields({
      '/api/connections/hubspot/mappings/contacts': json({ statusCode: 404, error: 'Not Found', message: 'HubSpot is not connected' }, 404),
      '/api/connections/salesforce/mappings/contacts': json(mapping('salesforce', 'contacts', [])),
      '/api/workflows/opportunity-stages': json({ statusCode: 409, error: 'Conflict', message: 'Salesforce is not connected' }, 409),
    });
    const { last } = renderMql();
    expect((await screen.findAllByText('HubSpot is not connected: type the API name', {}, SLOW)).length).toBeGreaterThan(0);
    expect((await screen.findAllByText('Salesforce fields are not discovered yet: type the API name', {}, SLOW)).length).toBeGreaterThan(0);
    fireEvent.change(input('HubSpot property of condition 1'), { target: { value: 'country' } });
    fireEvent.change(input("Value for 'country'"), { target: { value: 'Germany, France' } });
    expect(last()?.conditions[0]).toEqual({ property: 'country', operator: 'eq', value: 'Germany, France' });
  });

  it('gives every input of the MQL editor a name unique on the page', async () => {
    stubFields(BOTH_CONNECTED);
    renderMql();
    await screen.findByText('HubSpot Contact ID · custom', {}, SLOW);
    const names = [...document.querySelectorAll('input[aria-label], button[aria-label]')].map((e) => e.getAttribute('aria-label'));
    expect(names.length).toBeGreaterThan(20);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
    expect(names).toEqual(
      expect.arrayContaining([
        "Salesforce Lead Source for 'ORGANIC_SEARCH'",
        'HubSpot source of Lead Source row 2',
        "HubSpot property for 'Email'",
        "Master for 'Status'",
        "Territory owner (Salesforce User id) for 'Germany'",
        'Remove Lead Source row 2',
      ]),
    );
  });

  it('offers Account industries and HubSpot company industries in the hygiene lookup', async () => {
    stubFields({
      '/api/connections/salesforce/mappings/companies': () => json(mapping('salesforce', 'companies', [field('Industry', 'Industry', { options: [{ value: 'Technology', label: 'Technology' }, { value: 'Biotechnology', label: 'Biotechnology' }] })])),
      '/api/connections/hubspot/mappings/companies': () =>
        json(mapping('hubspot', 'companies', [field('industry', 'Industry', { options: [{ value: 'COMPUTER_SOFTWARE', label: 'Computer Software' }, { value: 'BIOTECHNOLOGY', label: 'Biotechnology' }] })])),
    });
    const changes: AccountHygieneConfigDto[] = [];
    function Harness() {
      const [config, setConfig] = useState<AccountHygieneConfigDto>({ fields: ['industry'], industryTable: [{ from: 'Biotechnology', to: '' }], genericValues: [] });
      return (
        <AccountHygieneEditor
          config={config}
          onChange={(c) => {
            changes.push(c);
            setConfig(c);
          }}
          errors={{}}
          readOnly={false}
        />
      );
    }
    renderWithProviders(<Harness />);
    expect(hintOf(await picker('Salesforce Industry of industry row 1'))).toBeNull();
    const to = await picker("HubSpot industry for 'Biotechnology'");
    fireEvent.focus(to);
    fireEvent.change(to, { target: { value: 'bio' } });
    await waitFor(() => expect(optionTexts(to)).toEqual(['BiotechnologyBIOTECHNOLOGY']));
    fireEvent.click(option(to, /BIOTECHNOLOGY/));
    expect(changes.at(-1)).toMatchObject({ industryTable: [{ from: 'Biotechnology', to: 'BIOTECHNOLOGY' }] });
  });
  it('offers Salesforce Opportunity stages for the stage table and HubSpot lifecycle stages by their labels', async () => {
    stubFields(BOTH_CONNECTED);
    const changes: StageLifecycleConfigDto[] = [];
    function Harness() {
      const [config, setConfig] = useState<StageLifecycleConfigDto>({ rules: [{ stage: 'Closed Won', lifecycle: 'customer', minAmountExclusive: 0 }, { stage: '', lifecycle: 'salesqualifiedlead' }], allowBackwards: false });
      return (
        <StageLifecycleEditor
          config={config}
          onChange={(c) => {
            changes.push(c);
            setConfig(c);
          }}
          errors={{}}
          readOnly={false}
        />
      );
    }
    renderWithProviders(<Harness />);
    const stage = await picker('Opportunity stage of stage rule 2');
    fireEvent.focus(stage);
    fireEvent.change(stage, { target: { value: 'qual' } });
    await waitFor(() => expect(optionTexts(stage)).toEqual(['Qualification']));
    fireEvent.click(option(stage, 'Qualification'));
    expect(changes.at(-1)?.rules[1]).toMatchObject({ stage: 'Qualification', lifecycle: 'salesqualifiedlead' });
    expect(input("Minimum amount (exclusive) for 'Closed Won'")).toHaveValue('0');
    // Lifecycle stages the API knows, labelled as HubSpot's discovery names them (customer is not discovered here).
    await waitFor(() => expect(input("HubSpot lifecycle stage for 'Qualification'")).toHaveValue('Sales Qualified Lead (salesqualifiedlead)'), SLOW);
    expect(input("HubSpot lifecycle stage for 'Closed Won'")).toHaveValue('customer');
  });

  it('falls back to typed stage names, saying why, when the stage values cannot be read', async () => {
    stubFields({ ...BOTH_CONNECTED, '/api/workflows/opportunity-stages': () => json({ statusCode: 409, error: 'Conflict', message: 'Salesforce is not connected' }, 409) });
    renderWithProviders(<StageLifecycleEditor config={{ rules: [{ stage: 'Closed Won', lifecycle: 'customer' }], allowBackwards: false }} onChange={() => undefined} errors={{}} readOnly={false} />);
    expect(await screen.findByText("Stage values unavailable (Salesforce is not connected): type the stage's API value", {}, SLOW)).toBeInTheDocument();
    expect(input('Opportunity stage of stage rule 1')).not.toHaveAttribute('aria-haspopup');
  });
});
