import { describe, expect, it } from '@jest/globals';
import { buildSchema } from './schema.js';
import { checkFilter, ListViewStore, listViewQuery, whereConditionOf } from './listviews.js';
import { parseSoql } from './soql.js';
import { makeId } from './ids.js';

const schema = buildSchema();
const describeType = (type: string) => schema.get(type);
const owner = makeId('005', 1);
const now = '2026-12-06T12:00:00.000Z';

describe('list view definitions', () => {
  it('compose the query a list view describe reports: columns, hidden audit columns, scope, filter, default order', () => {
    const store = new ListViewStore();
    const view = store.create({ sobjectType: 'Lead', label: 'My hot leads', scope: 'mine', where: "Rating = 'Hot'", columns: ['Name', 'company'] }, { ownerId: owner, now, describe: describeType });
    if (typeof view === 'string') throw new Error(view);
    expect(view).toMatchObject({ developerName: 'My_Hot_Leads', columns: ['Name', 'Company'], visibility: 'public', ownerId: owner });
    expect(view.id.startsWith('00B')).toBe(true);
    expect(listViewQuery(view)).toBe("SELECT Name, Company, Id, CreatedDate, LastModifiedDate, SystemModstamp FROM Lead USING SCOPE mine WHERE Rating = 'Hot' ORDER BY Name ASC NULLS FIRST, Id ASC NULLS FIRST");
  });

  it('describe the filter as SoqlWhereCondition: groups with a conjunction, not, in, like and date literals', () => {
    const where = parseSoql("SELECT Id FROM Lead WHERE (Industry IN ('Banking', 'Finance') OR NOT Status LIKE 'Closed%') AND CreatedDate = LAST_N_DAYS:30 AND AnnualRevenue >= 1000").where!;
    expect(whereConditionOf(where)).toEqual({
      conjunction: 'and',
      conditions: [
        {
          conjunction: 'or',
          conditions: [
            { field: 'Industry', operator: 'in', values: ['Banking', 'Finance'] },
            { condition: { field: 'Status', operator: 'like', values: ['Closed%'] } },
          ],
        },
        { field: 'CreatedDate', operator: 'equals', values: ['LAST_N_DAYS:30'] },
        { field: 'AnnualRevenue', operator: 'greaterOrEqual', values: ['1000'] },
      ],
    });
  });

  it('check a control request, naming the bad field, and keep a private view from other users', () => {
    const store = new ListViewStore();
    const defaults = { ownerId: owner, now, describe: describeType };
    expect(store.create({ sobjectType: 'Opportunity', label: 'x' }, defaults)).toMatch(/^sobjectType/);
    expect(store.create({ sobjectType: 'Lead' }, defaults)).toMatch(/^label/);
    expect(store.create({ sobjectType: 'Lead', label: 'x', where: 'Industry =' }, defaults)).toMatch(/^where: /);
    expect(store.create({ sobjectType: 'Lead', label: 'x', columns: ['Nope'] }, defaults)).toMatch(/^columns: no field Nope/);
    expect(checkFilter('Lead', null)).toBeNull();
    const view = store.create({ sobjectType: 'Contact', label: 'Mine only', visibility: 'private' }, defaults);
    if (typeof view === 'string') throw new Error(view);
    expect(store.find('Contact', view.id, owner)?.id).toBe(view.id);
    expect(store.find('Contact', view.id.slice(0, 15), owner)?.id).toBe(view.id);
    expect(store.find('Contact', view.id, makeId('005', 2))).toBeUndefined();
    expect(store.find('Lead', view.id, owner)).toBeUndefined();
    expect(store.visible('Contact', makeId('005', 2))).toEqual([]);
    expect(store.update(view.id, { scope: 'team' }, now, describeType)).toMatch(/^scope/);
    expect(store.delete(view.id)).toBe(true);
    expect(store.get(view.id)).toBeUndefined();
  });
});
