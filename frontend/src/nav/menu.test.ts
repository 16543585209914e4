import { describe, expect, it } from 'vitest';
import { mayOpen, navigationFor, type NavSubject } from './menu';

const employer = (...rights: string[]): NavSubject => ({ rights, organisation: { kind: 'employer' } });
const ids = (entries: { id: string }[]) => entries.map((e) => e.id);

describe('navigationFor', () => {
  it('gives a user without rights only profile, organisation and service', () => {
    const nav = navigationFor(employer());
    expect(ids(nav.menu)).toEqual(['organisation', 'profile', 'service']);
    expect(ids(nav.tiles)).toEqual(['organisation', 'service']);
    expect(nav.shortcuts).toEqual([]);
  });

  it('shows HR users participant work but no financial documents or user management', () => {
    const nav = navigationFor(employer('hr'));
    const menu = ids(nav.menu);
    expect(menu).toEqual(expect.arrayContaining(['participants', 'batches', 'changes', 'exports', 'schemes', 'documents-legal', 'reconciliations']));
    expect(menu).not.toContain('documents-financial');
    expect(menu).not.toContain('users');
    expect(ids(nav.shortcuts)).toEqual(['participant-new', 'batches', 'exports']);
  });

  it('lets read-only HR consult but offers no shortcuts that change data', () => {
    const nav = navigationFor(employer('hr_read'));
    expect(ids(nav.menu)).toEqual(expect.arrayContaining(['participants', 'changes', 'schemes', 'documents-legal']));
    expect(ids(nav.menu)).not.toContain('batches');
    expect(nav.shortcuts).toEqual([]);
  });

  it('shows finance users the financial documents, scheme details and the reconciliation result only', () => {
    const nav = navigationFor(employer('finance'));
    expect(ids(nav.tiles)).toEqual(['schemes', 'documents-financial', 'reconciliations', 'organisation', 'service']);
    expect(ids(nav.menu)).not.toContain('participants');
  });

  it('combines rights as a union (HR + Finance)', () => {
    const both = ids(navigationFor(employer('hr', 'finance')).menu);
    expect(both).toContain('participants');
    expect(both).toContain('documents-financial');
  });

  it('gives user management everything an employer has, including users, mandates and API keys', () => {
    const nav = navigationFor(employer('user_management'));
    expect(ids(nav.menu)).toEqual(
      expect.arrayContaining(['participants', 'documents-financial', 'users', 'mandates', 'api-tokens', 'audit']),
    );
    expect(ids(nav.shortcuts)).toContain('user-new');
  });

  it('ignores rights it does not know', () => {
    expect(navigationFor(employer('something_new'))).toEqual(navigationFor(employer()));
  });

  it('shows insurer staff their own screens and no employer screens', () => {
    const nav = navigationFor({ rights: ['staff'], organisation: { kind: 'insurer' } });
    expect(ids(nav.tiles)).toEqual(['users', 'staff-organisations', 'staff-reviews', 'staff-reconciliations', 'organisation', 'service']);
    expect(ids(nav.menu)).not.toContain('participants');
  });

  it('does not show employer screens to an intermediary administrator', () => {
    const nav = navigationFor({ rights: ['user_management'], organisation: { kind: 'intermediary' } });
    expect(ids(nav.menu)).toContain('users');
    expect(ids(nav.menu)).toContain('api-tokens');
    expect(ids(nav.menu)).not.toContain('mandates');
    expect(ids(nav.menu)).not.toContain('participants');
  });

  it('lets an office with a pension or income right reach mandated participants, read-only shortcuts only', () => {
    const nav = navigationFor({ rights: ['pensioenverzekering', 'premiepensioenvorderingen'], organisation: { kind: 'intermediary' } });
    expect(ids(nav.menu)).toEqual(expect.arrayContaining(['participants', 'changes', 'schemes']));
    expect(ids(nav.menu)).not.toContain('exports');
    expect(nav.shortcuts).toEqual([]);
    expect(ids(navigationFor({ rights: ['hypothecair_krediet'], organisation: { kind: 'intermediary' } }).menu)).not.toContain('participants');
  });

  it('gives an office acting under a mandate the legal documents, menu and tile, but not the financial ones', () => {
    const office = { rights: ['pensioenverzekering'], organisation: { kind: 'intermediary' } } as NavSubject;
    const nav = navigationFor(office);
    expect(ids(nav.menu)).toContain('documents-legal');
    expect(ids(nav.tiles)).toContain('documents-legal');
    expect(ids(nav.menu)).not.toContain('documents-financial');
    expect(mayOpen('/documents/legal', office)).toBe(true);
    expect(mayOpen('/documents/financial', office)).toBe(false);
    // An office right that reaches no employer scheme gives no documents.
    const other = { rights: ['hypothecair_krediet'], organisation: { kind: 'intermediary' } } as NavSubject;
    expect(ids(navigationFor(other).menu)).not.toContain('documents-legal');
  });

  it('keeps the audit log, which covers every scheme, from an administrator limited to some', () => {
    expect(ids(navigationFor({ ...employer('user_management'), scheme_ids: null }).menu)).toContain('audit');
    const limited = navigationFor({ ...employer('user_management'), scheme_ids: ['s1'] });
    expect(ids(limited.menu)).not.toContain('audit');
    expect(ids(limited.menu)).toContain('users');
  });

  it('keeps "Direct regelen" tasks out of the menu', () => {
    const nav = navigationFor(employer('user_management'));
    expect(ids(nav.shortcuts)).toEqual(['participant-new', 'batches', 'exports', 'user-new']);
    expect(ids(nav.menu)).not.toContain('participant-new');
    expect(ids(nav.menu)).not.toContain('user-new');
  });
});

describe('mayOpen', () => {
  it('guards catalogue paths by rights and allows paths outside the catalogue', () => {
    expect(mayOpen('/documents/financial', employer('hr'))).toBe(false);
    expect(mayOpen('/documents/financial', employer('finance'))).toBe(true);
    expect(mayOpen('/users', employer('hr'))).toBe(false);
    expect(mayOpen('/profile', employer())).toBe(true);
    expect(mayOpen('/something-else', employer())).toBe(true);
  });

  it('guards the screens below a catalogue entry by that entry', () => {
    expect(mayOpen('/users/0b6a7c1e-1111-4f0e-9c3a-5a5c8b1d2e3f', employer('hr'))).toBe(false);
    expect(mayOpen('/users/0b6a7c1e-1111-4f0e-9c3a-5a5c8b1d2e3f', employer('user_management'))).toBe(true);
    expect(mayOpen('/users/new/', employer('user_management'))).toBe(true);
    expect(mayOpen('/staff/organisations/x/users/new', employer('user_management'))).toBe(false);
    expect(mayOpen('/staff/organisations/x/users/new', { rights: ['staff'], organisation: { kind: 'insurer' } })).toBe(true);
    expect(mayOpen('/schemes/abc', employer('finance'))).toBe(true);
    expect(mayOpen('/schemes/abc', employer())).toBe(false);
    expect(mayOpen('/usersx', employer())).toBe(true);
  });
});
