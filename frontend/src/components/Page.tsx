// A page: sets the document title and renders the h1 that receives focus
// after navigation (so screen readers announce the new page).
import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { t } from '../i18n';

export const PAGE_TITLE_ID = 'page-title';

export function Page({ title, intro, children, wide }: { title: string; intro?: ComponentChildren; children?: ComponentChildren; wide?: boolean }) {
  useEffect(() => {
    document.title = `${title} – ${t('app.name')}`;
  }, [title]);
  return (
    <div class={wide ? 'page page-wide' : 'page'}>
      <h1 id={PAGE_TITLE_ID} tabIndex={-1}>
        {title}
      </h1>
      {intro && <div class="page-intro">{intro}</div>}
      {children}
    </div>
  );
}
