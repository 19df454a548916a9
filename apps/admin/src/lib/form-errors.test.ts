import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { describeSubmitError, mapFieldErrors, plainMessage } from './form-errors';

describe('mapFieldErrors', () => {
  it('puts each message on the form field it names', () => {
    const result = mapFieldErrors(
      [
        { field: 'email', messages: ['email must be an email'] },
        { field: 'firstName', messages: ['too long', 'must be a string'] },
      ],
      ['email', 'firstName', 'lastName'],
    );
    expect(result.errors).toEqual({ email: 'Email must be an email address, like name@company.com', firstName: 'First name: too long. First name must be text' });
    expect(result.unmatched).toEqual([]);
  });

  it('maps nested paths to their top-level field and merges repeated fields', () => {
    const result = mapFieldErrors(
      [
        { field: 'customAttributes.tier', messages: ['unknown tier'] },
        { field: 'customAttributes.size', messages: ['must be a number'] },
      ],
      ['customAttributes'],
    );
    expect(result.errors).toEqual({ customAttributes: 'Tier (custom attribute): unknown tier. Size (custom attribute): must be a number' });
  });

  it('does not confuse a field with another that shares its prefix', () => {
    const result = mapFieldErrors([{ field: 'emailVerified', messages: ['bad'] }], ['email']);
    expect(result.errors).toEqual({});
    expect(result.unmatched).toEqual(['Email verified: bad']);
  });
});

describe('describeSubmitError', () => {
  it('gives field errors and no summary when every error has a field on the form', () => {
    const error = new ApiError(400, {
      statusCode: 400,
      error: 'Bad Request',
      message: 'Validation failed',
      errors: [{ field: 'email', messages: ['email must be an email'] }],
    });
    expect(describeSubmitError(error, ['email'])).toEqual({ fieldErrors: { email: 'Email must be an email address, like name@company.com' }, summary: null });
  });

  it('summarises errors for fields the form does not show', () => {
    const error = new ApiError(400, {
      statusCode: 400,
      error: 'Bad Request',
      message: 'Validation failed',
      errors: [{ field: 'workspaceId', messages: ['must not be set'] }],
    });
    expect(describeSubmitError(error, ['email'])).toEqual({ fieldErrors: {}, summary: 'Workspace id: must not be set' });
  });

  it('falls back to the API message when there are no field errors', () => {
    const error = new ApiError(409, { statusCode: 409, error: 'Conflict', message: 'A person with this email already exists' });
    expect(describeSubmitError(error, ['email'])).toEqual({ fieldErrors: {}, summary: 'A person with this email already exists' });
  });

  it('uses the message of a non-API error', () => {
    expect(describeSubmitError(new Error('boom'), [])).toEqual({ fieldErrors: {}, summary: 'boom' });
  });
});

describe('plainMessage', () => {
  it("rewrites the validator's messages for people, starting with the field's label", () => {
    expect(plainMessage('name', 'name must be longer than or equal to 1 characters', 'company')).toBe('Name is required');
    expect(plainMessage('leadStatus', 'leadStatus should not be empty')).toBe('Lead status is required');
    expect(plainMessage('jobTitle', 'jobTitle must be shorter than or equal to 1000 characters')).toBe('Job title is too long: at most 1,000 characters');
    expect(plainMessage('linkedinUrl', 'linkedinUrl must be a URL address')).toBe('LinkedIn URL must be a full web address, like https://example.com');
    expect(plainMessage('engagementState', 'engagementState must be one of the following values: contacted, replied')).toBe('Engagement state must be one of: contacted, replied');
    expect(plainMessage('domains', 'each value in domains must be a domain such as example.com')).toBe('Domains: each value must be a domain such as example.com');
    expect(plainMessage('employeeCount', 'employeeCount must not be less than 0', 'company')).toBe('Employee count must be at least 0');
    expect(plainMessage('rows[1].crmField', 'crmField should not be empty')).toBe('CRM field (row 2) is required');
    expect(plainMessage('foo', 'property foo should not exist')).toBe('Foo is not a field Conduit knows');
  });

  it("keeps a service's own words, with the field's label instead of its key", () => {
    expect(plainMessage('dailyShare', 'dailyShare must be between 1 and 100')).toBe('Daily share must be between 1 and 100');
    expect(plainMessage('phone', 'Phone is not a valid phone number')).toBe('Phone is not a valid phone number');
    expect(plainMessage('', 'A person needs a name or an email')).toBe('A person needs a name or an email');
  });
});
