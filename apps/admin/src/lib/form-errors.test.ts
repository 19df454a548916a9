import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { describeSubmitError, mapFieldErrors } from './form-errors';

describe('mapFieldErrors', () => {
  it('puts each message on the form field it names', () => {
    const result = mapFieldErrors(
      [
        { field: 'email', messages: ['email must be an email'] },
        { field: 'firstName', messages: ['too long', 'must be a string'] },
      ],
      ['email', 'firstName', 'lastName'],
    );
    expect(result.errors).toEqual({ email: 'email must be an email', firstName: 'too long. must be a string' });
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
    expect(result.errors).toEqual({ customAttributes: 'unknown tier. must be a number' });
  });

  it('does not confuse a field with another that shares its prefix', () => {
    const result = mapFieldErrors([{ field: 'emailVerified', messages: ['bad'] }], ['email']);
    expect(result.errors).toEqual({});
    expect(result.unmatched).toEqual(['emailVerified: bad']);
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
    expect(describeSubmitError(error, ['email'])).toEqual({ fieldErrors: { email: 'email must be an email' }, summary: null });
  });

  it('summarises errors for fields the form does not show', () => {
    const error = new ApiError(400, {
      statusCode: 400,
      error: 'Bad Request',
      message: 'Validation failed',
      errors: [{ field: 'workspaceId', messages: ['must not be set'] }],
    });
    expect(describeSubmitError(error, ['email'])).toEqual({ fieldErrors: {}, summary: 'workspaceId: must not be set' });
  });

  it('falls back to the API message when there are no field errors', () => {
    const error = new ApiError(409, { statusCode: 409, error: 'Conflict', message: 'A person with this email already exists' });
    expect(describeSubmitError(error, ['email'])).toEqual({ fieldErrors: {}, summary: 'A person with this email already exists' });
  });

  it('uses the message of a non-API error', () => {
    expect(describeSubmitError(new Error('boom'), [])).toEqual({ fieldErrors: {}, summary: 'boom' });
  });
});
