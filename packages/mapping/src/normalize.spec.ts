import { describe, expect, it } from '@jest/globals';
import { FREE_MAIL_DOMAIN_LIST, isFreeMailDomainName } from './free-mail-domains.js';
import {
  companyDomainFromEmail,
  describeValue,
  domainFromEmail,
  isBlank,
  isFreeMailDomain,
  isValidEmail,
  normalizeDomain,
  normalizeEmail,
  splitName,
} from './normalize.js';

describe('isBlank', () => {
  it.each([
    [null, true],
    [undefined, true],
    ['', true],
    ['   ', true],
    ['\t\n ', true],
    [[], true],
    ['a', false],
    [' a ', false],
    [0, false],
    [false, false],
    [['a'], false],
    [{}, false],
    [Number.NaN, false],
  ])('isBlank(%p) → %p', (value, expected) => {
    expect(isBlank(value)).toBe(expected);
  });
});

describe('normalizeEmail', () => {
  it.each([
    ['ada@example.com', 'ada@example.com'],
    ['  Ada.Lovelace@Example.COM  ', 'ada.lovelace@example.com'],
    ['mailto:ada@example.com', 'ada@example.com'],
    ['MAILTO:Ada@Example.com', 'ada@example.com'],
    ['Ada Lovelace <Ada@Example.com>', 'ada@example.com'],
    ['ada+outbound@example.co.uk', 'ada+outbound@example.co.uk'],
    ["o'brien@example.ie", "o'brien@example.ie"],
    ['first.last@sub.example.com', 'first.last@sub.example.com'],
    ['ada@example.com.', 'ada@example.com'],
    ['ada@münchen.de', 'ada@xn--mnchen-3ya.de'],
    ['a_b-c@x-y.io', 'a_b-c@x-y.io'],
  ])('%p → %p', (input, expected) => {
    expect(normalizeEmail(input)).toEqual({ ok: true, value: expected });
    expect(isValidEmail(input)).toBe(true);
  });

  it.each([
    [''],
    ['   '],
    ['ada'],
    ['ada@'],
    ['@example.com'],
    ['ada@@example.com'],
    ['ada@example'],
    ['ada @example.com'],
    ['ada@exa mple.com'],
    ['.ada@example.com'],
    ['ada.@example.com'],
    ['ad..a@example.com'],
    ['ada@-example.com'],
    ['ada@example-.com'],
    ['ada@127.0.0.1'],
    ['ada@example..com'],
    [`${'a'.repeat(65)}@example.com`],
    [`ada@${'a'.repeat(64)}.com`],
    [`${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.com`],
    [42],
    [null],
    [undefined],
    [['ada@example.com']],
  ])('rejects %p', (input) => {
    const r = normalizeEmail(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('invalid_email');
    expect(isValidEmail(input)).toBe(false);
  });
});

describe('normalizeDomain', () => {
  it.each([
    ['acme.com', 'acme.com'],
    ['ACME.COM', 'acme.com'],
    ['  acme.com  ', 'acme.com'],
    ['www.acme.com', 'acme.com'],
    ['www2.acme.com', 'acme.com'],
    ['http://acme.com', 'acme.com'],
    ['https://WWW.Acme.com:443/about?x=1#team', 'acme.com'],
    ['https://acme.com/', 'acme.com'],
    ['//acme.com/path', 'acme.com'],
    ['acme.com/pricing', 'acme.com'],
    ['acme.com:8080', 'acme.com'],
    ['acme.com?ref=x', 'acme.com'],
    ['acme.com#x', 'acme.com'],
    ['https://user:pass@acme.com/x', 'acme.com'],
    ['ftp://files.acme.com', 'files.acme.com'],
    ['app.acme.co.uk', 'app.acme.co.uk'],
    ['acme.com.', 'acme.com'],
    ['ada@acme.com', 'acme.com'],
    ['Ada@WWW.Acme.com', 'acme.com'],
    ['mailto:ada@acme.com', 'acme.com'],
    ['münchen.de', 'xn--mnchen-3ya.de'],
    ['https://münchen.de/x', 'xn--mnchen-3ya.de'],
    ['www.com', 'www.com'],
  ])('%p → %p', (input, expected) => {
    expect(normalizeDomain(input)).toBe(expected);
  });

  it.each([[''], ['   '], ['acme'], ['localhost'], ['xn--ü.com'], ['ü%.com'], [`${'a'.repeat(60)}.`.repeat(5) + 'com'], ['http://'], ['https://192.168.0.1/x'], ['not a domain.com'], ['acme..com'], ['-acme.com'], [null], [undefined], [42]])(
    'rejects %p',
    (input) => {
      expect(normalizeDomain(input)).toBeNull();
    },
  );
});

describe('domainFromEmail / companyDomainFromEmail', () => {
  it.each([
    ['ada@Acme.com', 'acme.com', 'acme.com'],
    ['ada@gmail.com', 'gmail.com', null],
    ['ada@yahoo.co.uk', 'yahoo.co.uk', null],
    ['ada@mail.acme.io', 'mail.acme.io', 'mail.acme.io'],
    ['not-an-email', null, null],
    [null, null, null],
  ])('%p → domain %p, company domain %p', (email, domain, company) => {
    expect(domainFromEmail(email)).toBe(domain);
    expect(companyDomainFromEmail(email)).toBe(company);
  });
});

describe('isFreeMailDomain', () => {
  it.each([
    'gmail.com', 'googlemail.com', 'yahoo.com', 'yahoo.co.uk', 'yahoo.fr', 'yahoo.com.br', 'ymail.com', 'outlook.com', 'outlook.fr',
    'hotmail.com', 'hotmail.co.uk', 'hotmail.de', 'live.com', 'live.fr', 'msn.com', 'icloud.com', 'me.com', 'mac.com', 'aol.com',
    'aol.de', 'proton.me', 'protonmail.com', 'pm.me', 'gmx.de', 'gmx.net', 'gmx.at', 'gmx.com', 'mail.ru', 'yandex.ru', 'yandex.com',
    'qq.com', '163.com', '126.com', 'web.de', 'orange.fr', 'libero.it', 'naver.com', 'zoho.com', 'fastmail.com', 'tutanota.com',
    'GMAIL.COM', 'ada@gmail.com', 'https://www.gmail.com/',
  ])('%p is free mail', (domain) => {
    expect(isFreeMailDomain(domain)).toBe(true);
  });

  it.each(['acme.com', 'google.com', 'microsoft.com', 'yahooligans.org', 'mygmail.com', 'gmail.company.com', 'protonmail.acme.com', 'ada@acme.com', '', 'nonsense', null])(
    '%p is not free mail',
    (domain) => {
      expect(isFreeMailDomain(domain)).toBe(false);
    },
  );

  it('exposes a sorted list of the exact domains, all of which match', () => {
    expect(FREE_MAIL_DOMAIN_LIST.length).toBeGreaterThan(100);
    expect([...FREE_MAIL_DOMAIN_LIST].sort()).toEqual(FREE_MAIL_DOMAIN_LIST);
    for (const d of FREE_MAIL_DOMAIN_LIST) expect(isFreeMailDomainName(d)).toBe(true);
  });
});

describe('splitName', () => {
  it.each([
    ['Ada King Lovelace', 'Ada', 'King Lovelace'],
    ['Ada Lovelace', 'Ada', 'Lovelace'],
    ['  Ada    Lovelace  ', 'Ada', 'Lovelace'],
    ['Cher', null, 'Cher'],
    ['  Cher  ', null, 'Cher'],
    ['Lovelace, Ada', 'Ada', 'Lovelace'],
    ['Lovelace , Ada King', 'Ada King', 'Lovelace'],
    ['King Jr., Martin Luther', 'Martin Luther', 'King Jr.'],
    ['John Smith, Jr.', 'John', 'Smith Jr.'],
    ['Dr. Grace Hopper', 'Grace', 'Hopper'],
    ['Mrs Ada Lovelace', 'Ada', 'Lovelace'],
    ['Prof. Dr. Ada Lovelace', 'Ada', 'Lovelace'],
    ['Dr.', null, 'Dr.'],
    ['Dr. Who', null, 'Who'],
    ['José María Aznar López', 'José', 'María Aznar López'],
    ['李 小龍', '李', '小龍'],
    ['Jean-Luc Picard', 'Jean-Luc', 'Picard'],
  ])('%p → first %p, last %p', (full, firstName, lastName) => {
    expect(splitName(full)).toEqual({ firstName, lastName });
  });

  it.each([[''], ['   '], [null], [undefined], [42]])('%p → both null', (full) => {
    expect(splitName(full)).toEqual({ firstName: null, lastName: null });
  });
});

describe('describe (error message helper)', () => {
  it.each([
    [null, 'null'],
    [undefined, 'undefined'],
    ['abc', '"abc"'],
    ['x'.repeat(70), `"${'x'.repeat(57)}..."`],
    [12, 'number 12'],
    [true, 'boolean true'],
    [['a', 1], 'array ["a", number 1]'],
    [new Date(0), 'date 1970-01-01T00:00:00.000Z'],
    [new Date(Number.NaN), 'date Invalid Date'],
    [{ a: 1 }, 'object'],
  ])('%p → %p', (v, expected) => {
    expect(describeValue(v)).toBe(expected);
  });
});

describe('host answers are remembered (normalizeHost keeps the last 10,000)', () => {
  it('answers a repeated email or domain as the first time, valid or not, and past the bound', () => {
    const inputs = ['ada@Acme.COM', 'bob@acme.com.', 'eve@münchen.de', 'x@192.168.0.1', 'y@localhost', 'z@acme..com'];
    const first = inputs.map((e) => normalizeEmail(e));
    const domains = ['https://WWW.Acme.com:443/about', 'münchen.de', 'acme'].map((d) => normalizeDomain(d));
    // Enough other hosts to clear the remembered answers at least once.
    for (let i = 0; i < 12_000; i++) expect(normalizeDomain(`host${i}.example.org`)).toBe(`host${i}.example.org`);
    expect(inputs.map((e) => normalizeEmail(e))).toEqual(first);
    expect(first.map((r) => (r.ok ? r.value : null))).toEqual(['ada@acme.com', 'bob@acme.com', 'eve@xn--mnchen-3ya.de', null, null, null]);
    expect(['https://WWW.Acme.com:443/about', 'münchen.de', 'acme'].map((d) => normalizeDomain(d))).toEqual(domains);
    expect(domains).toEqual(['acme.com', 'xn--mnchen-3ya.de', null]);
  });
});
