// Staff: registrations and changes that need an extra check (GET /reviews),
// approved or rejected with a reason the employer will see.
import { useState } from 'preact/hooks';
import { reviewsApi } from '../../api/endpoints';
import type { Change } from '../../api/types';
import { ErrorAlert, Notice } from '../../components/Alert';
import { DataTable } from '../../components/DataTable';
import { ConfirmDialog } from '../../components/Dialog';
import { TextAreaField } from '../../components/Field';
import { Page } from '../../components/Page';
import { Pager } from '../../components/Pager';
import { useForm } from '../../forms/useForm';
import { fmt, t } from '../../i18n';
import { usePaged } from '../../lib/usePaged';
import { changeDataLines, changeTypeLabel } from '../participants/shared';

export function ReviewsPage() {
  const list = usePaged((cursor) => reviewsApi.list({ cursor, limit: 25 }), 'reviews');
  const [flash, setFlash] = useState<string | null>(null);
  const [rejecting, setRejecting] = useState<Change | null>(null);
  // The row whose request runs (approve, or reject from the dialog).
  const [acting, setActing] = useState<string | null>(null);
  const f = useForm({ reason: '' }, { fields: [] });
  const name = (c: Change) => c.participant?.display_name ?? c.display_name ?? '';

  const approve = (c: Change) => {
    setActing(c.id);
    return f.run(async () => {
      await reviewsApi.approve(c.id);
      setFlash(t('reviews.approvedFlash', { type: changeTypeLabel(c.type), name: name(c) }));
      list.reload();
    });
  };

  const reject = () => {
    if (!rejecting) return;
    if (!f.values.reason.trim()) return f.setErrors({ fields: {}, general: [t('reviews.reasonRequired')] });
    setActing(rejecting.id);
    return f.run(async (v) => {
      await reviewsApi.reject(rejecting.id, v.reason.trim());
      setFlash(t('reviews.rejectedFlash', { type: changeTypeLabel(rejecting.type), name: name(rejecting) }));
      setRejecting(null);
      f.reset();
      list.reload();
    });
  };

  return (
    <Page title={t('nav.staffReviews')} wide intro={<p>{t('reviews.intro')}</p>}>
      <Notice>{flash}</Notice>
      {!rejecting && <ErrorAlert messages={f.errors.general} />}
      <ErrorAlert messages={list.errors} />
      <DataTable
        caption={t('nav.staffReviews')}
        columns={[
          t('participants.name'),
          t('changes.type'),
          t('reviews.why'),
          { label: t('common.actions'), hidden: true },
        ]}
        loading={list.loading}
        count={list.items.length}
        empty={t('reviews.none')}
      >
        {list.items.map((c) => (
          <tr key={c.id}>
            <th scope="row" data-label={t('participants.name')}>
              {name(c)}
              <span class="cell-note">
                {c.participant?.participant_number} · {c.organisation?.name} · {c.scheme?.name}
              </span>
            </th>
            <td data-label={t('changes.type')}>
              {changeTypeLabel(c.type)} · {fmt.date(c.effective_date)}
              {changeDataLines(c).map((l) => (
                <span class="cell-note" key={l}>
                  {l}
                </span>
              ))}
              <span class="cell-note">
                {t('reviews.submitted', { when: fmt.dateTime(c.registered_at), who: c.registered_by?.name ?? '–' })}
              </span>
            </td>
            <td data-label={t('reviews.why')}>
              {c.review_reasons.map((r) => (
                <span class="cell-note" key={r.id}>
                  {r.message}
                </span>
              ))}
            </td>
            <td data-label={t('common.actions')}>
              <span class="cell-actions">
                <button type="button" class="btn btn-primary btn-small" aria-busy={f.busy && acting === c.id ? 'true' : undefined} onClick={() => f.busy || void approve(c)}>
                  {t('reviews.approve')}
                  <span class="sr-only"> – {name(c)}</span>
                </button>
                <button type="button" class="btn btn-danger btn-small" onClick={() => setRejecting(c)}>
                  {t('reviews.reject')}
                  <span class="sr-only"> – {name(c)}</span>
                </button>
              </span>
            </td>
          </tr>
        ))}
      </DataTable>
      <Pager list={list} label={t('reviews.pages')} />
      <ConfirmDialog
        open={rejecting !== null}
        title={t('reviews.rejectTitle')}
        confirmLabel={t('reviews.reject')}
        danger
        busy={f.busy}
        errors={f.errors.general}
        onConfirm={reject}
        onCancel={() => {
          setRejecting(null);
          f.clearErrors();
        }}
      >
        <p>{rejecting ? t('reviews.rejectText', { type: changeTypeLabel(rejecting.type), name: name(rejecting) }) : ''}</p>
        <TextAreaField name="reason" label={t('reviews.reason')} hint={t('reviews.reasonHint')} value={f.values.reason} onValue={f.set('reason')} />
      </ConfirmDialog>
    </Page>
  );
}
