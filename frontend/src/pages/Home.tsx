// Home: a tile per function the user's rights allow, and "Direct regelen"
// shortcuts to the most common tasks (seed 001).
import { useEffect, useState } from 'preact/hooks';
import { documentsApi } from '../api/endpoints';
import type { Me } from '../api/types';
import { Icon } from '../components/Icon';
import { Link } from '../components/Link';
import { Page } from '../components/Page';
import { t } from '../i18n';
import { navigationFor } from '../nav/menu';

/** Unread documents per document tile ("documents-financial", ...). */
function useUnreadTiles(tileIds: readonly string[]): Record<string, number> {
  const [counts, setCounts] = useState<Record<string, number>>({});
  const key = tileIds.join(',');
  useEffect(() => {
    let live = true;
    const tiles = tileIds.filter((id) => id === 'documents-financial' || id === 'documents-legal');
    void Promise.all(
      tiles.map((id) =>
        documentsApi
          .count({ category: id === 'documents-financial' ? 'financial' : 'legal', unread: 'true' })
          .then((n) => [id, n] as const)
          .catch(() => [id, 0] as const),
      ),
    ).then((pairs) => {
      if (live) setCounts(Object.fromEntries(pairs));
    });
    return () => {
      live = false;
    };
  }, [key]);
  return counts;
}

export function HomePage({ me }: { me: Me }) {
  const nav = navigationFor(me);
  const unread = useUnreadTiles(nav.tiles.map((x) => x.id));
  return (
    <Page title={t('home.title', { name: me.first_name })} wide intro={<p>{t('home.intro')}</p>}>
      {nav.shortcuts.length > 0 && (
        <section class="shortcuts" aria-labelledby="shortcuts-title">
          <h2 id="shortcuts-title">{t('home.shortcuts')}</h2>
          <ul>
            {nav.shortcuts.map((s) => (
              <li key={s.id}>
                <Link href={s.path} class="shortcut">
                  <Icon name={s.icon} />
                  <span>{t(s.label)}</span>
                  <Icon name="arrow" size={16} />
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="tiles-title">
        <h2 id="tiles-title" class="sr-only">
          {t('home.functions')}
        </h2>
        <ul class="tiles">
          {nav.tiles.map((tile) => (
            <li key={tile.id}>
              <Link href={tile.path} class="tile">
                <span class="tile-icon">
                  <Icon name={tile.icon} size={28} />
                </span>
                <span class="tile-title">
                  {t(tile.label)}
                  {(unread[tile.id] ?? 0) > 0 && (
                    <span class="badge badge-invited tile-badge">{t('documents.unreadCount', { n: unread[tile.id]! })}</span>
                  )}
                </span>
                <span class="tile-desc">{t(tile.description)}</span>
              </Link>
            </li>
          ))}
        </ul>
      </section>
      {me.rights.length === 0 && (
        <p class="hint">
          {t('home.noRights')} <Link href="/organisation">{t('home.noRightsLink')}</Link>
        </p>
      )}
    </Page>
  );
}
