// Gebruikersbeheer: the organisation's users, searchable on first and/or
// last name (GET /users?q=), a page at a time (keyset "next page").
import { useState } from 'preact/hooks';
import { usersApi } from '../../api/endpoints';
import type { Me, User } from '../../api/types';
import { ErrorAlert, Notice } from '../../components/Alert';
import { TextField } from '../../components/Field';
import { Icon } from '../../components/Icon';
import { Link } from '../../components/Link';
import { Page } from '../../components/Page';
import { Pager } from '../../components/Pager';
import { t } from '../../i18n';
import { takeFlash } from '../../lib/flash';
import { usePaged, type Paged } from '../../lib/usePaged';
import { Loading } from '../Simple';
import { dayOf, fullName, isStaff, rightsText, StatusBadge, useCatalogue, userState } from '../../lib/accounts';

export function UserTable({ list, userPath, catalogueOrg }: { list: Paged<User>; userPath: (id: string) => string; catalogueOrg?: string }) {
  const { catalogue } = useCatalogue(catalogueOrg);
  if (list.loading && list.items.length === 0) return <Loading />;
  if (list.items.length === 0) return list.errors.length ? null : <p class="muted">{t('users.none')}</p>;
  return (
    <div class="table-wrap">
      <table class="data-table">
        <caption class="sr-only">{t('users.tableCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('common.name')}</th>
            <th scope="col">{t('common.email')}</th>
            <th scope="col">{t('users.rights')}</th>
            <th scope="col">{t('users.status')}</th>
          </tr>
        </thead>
        <tbody aria-busy={list.loading ? 'true' : undefined}>
          {list.items.map((u) => (
            <tr key={u.id}>
              <th scope="row" data-label={t('common.name')}>
                <Link href={userPath(u.id)}>{fullName(u)}</Link>
              </th>
              <td data-label={t('common.email')}>{u.email}</td>
              <td data-label={t('users.rights')}>{rightsText(catalogue, u.rights)}</td>
              <td data-label={t('users.status')}>
                <StatusBadge state={userState(u)} />
                {u.expires_at && <span class="cell-note">{t('users.until', { date: dayOf(u.expires_at) })}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function UsersPage({ me }: { me: Me }) {
  // Staff manage their colleagues here; customers' users from the organisation screens.
  const organisationId = isStaff(me) ? me.organisation.id : undefined;
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const [flash] = useState(() => takeFlash());
  const list = usePaged((cursor) => usersApi.list({ q: search, cursor, limit: 25, organisation_id: organisationId }), search);

  return (
    <Page title={t('users.title')} wide intro={<p>{t('users.intro')}</p>}>
      <Notice>{flash}</Notice>
      <div class="toolbar">
        <form
          role="search"
          class="search-form"
          onSubmit={(e) => {
            e.preventDefault();
            setSearch(q.trim());
          }}
        >
          <TextField name="q" type="search" label={t('users.search')} hint={t('users.searchHint')} value={q} onValue={setQ} autocomplete="off" />
          <div class="button-row">
            <button type="submit" class="btn btn-secondary">
              {t('common.search')}
            </button>
            {search && (
              <button
                type="button"
                class="btn-link"
                onClick={() => {
                  setQ('');
                  setSearch('');
                }}
              >
                {t('common.clearSearch')}
              </button>
            )}
          </div>
        </form>
        <Link href="/users/new" class="btn btn-primary">
          <Icon name="userPlus" />
          {t('nav.userNew')}
        </Link>
      </div>
      <ErrorAlert messages={list.errors} />
      <p class="results-note" role="status">
        {list.loading ? '' : search ? t('users.resultsFor', { q: search }) : ''}
      </p>
      <UserTable list={list} userPath={(id) => `/users/${id}`} catalogueOrg={organisationId} />
      <Pager list={list} label={t('users.pages')} />
    </Page>
  );
}
