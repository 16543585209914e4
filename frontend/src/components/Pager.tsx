// "Vorige pagina" / "Volgende pagina" under a keyset-paginated list.
import type { Paged } from '../lib/usePaged';
import { t } from '../i18n';

export function Pager({ list, label }: { list: Paged<unknown>; label: string }) {
  if (!list.hasNext && !list.hasPrevious) return null;
  return (
    <nav class="pager" aria-label={label}>
      <button type="button" class="btn btn-secondary" disabled={!list.hasPrevious || list.loading} onClick={list.previous}>
        {t('pager.previous')}
      </button>
      <span class="pager-page">{t('pager.page', { n: list.pageNumber })}</span>
      <button type="button" class="btn btn-secondary" disabled={!list.hasNext || list.loading} onClick={list.next}>
        {t('pager.next')}
      </button>
    </nav>
  );
}
