import { describe, expect, it } from 'vitest';
import { nextSort, parseCompanyParams, parsePeopleParams, updateListParams } from './list-params';

describe('parsePeopleParams', () => {
  it('reads a full, valid query', () => {
    const params = new URLSearchParams('search=ada&engagementState=replied&leadStatus=OPEN&page=3&pageSize=50&sort=lastName&order=desc');
    expect(parsePeopleParams(params)).toEqual({
      search: 'ada',
      engagementState: 'replied',
      leadStatus: 'OPEN',
      page: 3,
      pageSize: 50,
      sort: 'lastName',
      order: 'desc',
    });
  });

  it('drops malformed values instead of sending them to the API', () => {
    const params = new URLSearchParams('search=%20%20&engagementState=bogus&page=-2&pageSize=7&sort=password&order=sideways');
    expect(parsePeopleParams(params)).toEqual({
      search: undefined,
      engagementState: undefined,
      leadStatus: undefined,
      page: undefined,
      pageSize: undefined,
      sort: undefined,
      order: undefined,
    });
  });

  it('keeps company sorts separate from people sorts', () => {
    expect(parseCompanyParams(new URLSearchParams('sort=employeeCount')).sort).toBe('employeeCount');
    expect(parseCompanyParams(new URLSearchParams('sort=lastName')).sort).toBeUndefined();
  });
});

describe('updateListParams', () => {
  it('goes back to page 1 when the search changes', () => {
    const next = updateListParams(new URLSearchParams('page=4&sort=email'), { search: 'acme' });
    expect(next.toString()).toBe('sort=email&search=acme');
  });

  it('keeps the other parameters when only the page changes', () => {
    const next = updateListParams(new URLSearchParams('search=acme'), { page: 2 });
    expect(next.toString()).toBe('search=acme&page=2');
  });

  it('removes cleared values and defaults', () => {
    const next = updateListParams(new URLSearchParams('search=acme&engagementState=replied&pageSize=50'), {
      engagementState: null,
      pageSize: 25,
    });
    expect(next.toString()).toBe('search=acme');
  });
});

describe('nextSort', () => {
  it('cycles ascending, descending, default', () => {
    const first = nextSort({}, 'lastName');
    expect(first).toEqual({ sort: 'lastName', order: 'asc' });
    const second = nextSort({ sort: 'lastName', order: 'asc' }, 'lastName');
    expect(second).toEqual({ sort: 'lastName', order: 'desc' });
    expect(nextSort({ sort: 'lastName', order: 'desc' }, 'lastName')).toEqual({ sort: null, order: null });
  });

  it('starts ascending on a new column', () => {
    expect(nextSort({ sort: 'lastName', order: 'desc' }, 'email')).toEqual({ sort: 'email', order: 'asc' });
  });
});
