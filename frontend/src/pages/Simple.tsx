// Small pages: a function that follows later, no access, not found, loading.
import type { NavEntry } from '../nav/menu';
import { Link } from '../components/Link';
import { Page } from '../components/Page';
import { t } from '../i18n';

export function PlaceholderPage({ entry }: { entry: NavEntry }) {
  return (
    <Page title={t(entry.label)} intro={<p>{t(entry.description)}</p>}>
      <div class="alert alert-info">
        <p>{t('placeholder.follows')}</p>
      </div>
      <p>
        <Link href="/">{t('common.toHome')}</Link>
      </p>
    </Page>
  );
}

export function NoAccessPage() {
  return (
    <Page title={t('noAccess.title')}>
      <p>{t('noAccess.text')}</p>
      <p>
        <Link href="/organisation">{t('noAccess.whoToAsk')}</Link>
      </p>
    </Page>
  );
}

export function NotFoundPage() {
  return (
    <Page title={t('notFound.title')}>
      <p>{t('notFound.text')}</p>
      <p>
        <Link href="/">{t('common.toHome')}</Link>
      </p>
    </Page>
  );
}

export { Loading } from '../components/Loading';
