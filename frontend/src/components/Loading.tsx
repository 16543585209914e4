// The spinner shown while a page or a list is loading.
import { t } from '../i18n';

export function Loading() {
  return (
    <div class="loading" role="status">
      <span class="spinner" aria-hidden="true" />
      {t('common.loading')}
    </div>
  );
}
