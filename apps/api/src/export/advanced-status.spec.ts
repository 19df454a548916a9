import { describe, expect, it } from '@jest/globals';
import { ADVANCED_STATUSES as CONTRACT_STATUSES, ENGAGEMENT_STATES as CONTRACT_STATES } from '@conduit/contracts';
import { ADVANCED_STATUSES, ENGAGEMENT_STATES } from '@conduit/mapping';

describe('advanced statuses in @conduit/contracts', () => {
  it('are the list of @conduit/mapping: same statuses, parents, labels and order', () => {
    expect(CONTRACT_STATUSES).toEqual(ADVANCED_STATUSES);
    expect(CONTRACT_STATES).toEqual(ENGAGEMENT_STATES);
  });
});
