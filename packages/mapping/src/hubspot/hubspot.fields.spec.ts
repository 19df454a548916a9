import { describe, expect, it } from '@jest/globals';
import { hubspotCompany, hubspotContact } from '../__fixtures__/hubspot-contact.fixture.js';
import { hubspotCompanyProperties, hubspotContactProperties } from '../__fixtures__/hubspot-properties.fixture.js';
import { hubspotObjectProperties, hubspotPropertiesToDescriptors, hubspotPropertyToDescriptor } from './hubspot.fields.js';

describe('hubspotPropertyToDescriptor', () => {
  const descriptors = hubspotPropertiesToDescriptors(hubspotContactProperties);
  const get = (name: string) => descriptors.find((d) => d.name === name);

  it('keeps every mappable type and drops the others', () => {
    expect(descriptors).toHaveLength(hubspotContactProperties.length - 1);
    expect(get('hs_geo_location')).toBeUndefined();
  });

  it('describes a standard string property', () => {
    expect(get('firstname')).toEqual({ name: 'firstname', label: 'First Name', type: 'string', readOnly: false, custom: false });
  });

  it('marks read-only values and calculated properties read-only', () => {
    expect(get('hs_object_id')?.readOnly).toBe(true);
    expect(get('createdate')?.readOnly).toBe(true);
    expect(get('num_associated_deals')?.readOnly).toBe(true);
    expect(get('hs_object_source_detail_1')?.readOnly).toBe(true);
    expect(get('email')?.readOnly).toBe(false);
  });

  it('marks properties not defined by HubSpot custom', () => {
    expect(get('conduit_qualification_reasoning')?.custom).toBe(true);
    expect(get('hs_lead_status')?.custom).toBe(false);
  });

  it('keeps enumeration options, restricted; checkbox enumerations are multi-valued', () => {
    expect(get('hs_lead_status')).toMatchObject({ type: 'enumeration', restricted: true });
    expect(get('hs_lead_status')?.options?.[2]).toEqual({ value: 'IN_PROGRESS', label: 'In Progress' });
    expect(get('hs_lead_status')?.multiValued).toBeUndefined();
    expect(get('conduit_sequences')).toMatchObject({ multiValued: true, restricted: true });
    expect(get('hs_email_optout')?.options).toBeUndefined();
  });

  it('handles a minimal definition', () => {
    expect(hubspotPropertyToDescriptor({ name: 'x', label: 'X', type: 'enumeration' })).toEqual({
      name: 'x',
      label: 'X',
      type: 'enumeration',
      readOnly: false,
      custom: true,
      options: [],
      restricted: true,
    });
    expect(hubspotPropertyToDescriptor({ name: 'j', label: 'J', type: 'json' })).toBeNull();
  });

  it('reads company definitions too', () => {
    const company = hubspotPropertiesToDescriptors(hubspotCompanyProperties);
    expect(company.map((d) => d.name)).toEqual(['name', 'domain', 'website', 'industry', 'numberofemployees', 'city', 'country', 'hs_object_id']);
  });
});

describe('hubspotObjectProperties', () => {
  it('returns a copy of the properties', () => {
    const props = hubspotObjectProperties(hubspotContact);
    expect(props).toEqual(hubspotContact.properties);
    expect(props).not.toBe(hubspotContact.properties);
    expect(hubspotObjectProperties(hubspotCompany)['domain']).toBe('analytical-engines.co.uk');
  });
});
