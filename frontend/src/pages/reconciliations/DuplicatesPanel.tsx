// "Mogelijke dubbele werknemers" (seed 002 §16): pairs of employees the API
// sees as one person (same BSN, or same name and birth date) and that are
// neither merged nor dismissed. Each unresolved pair blocks hand-in. The
// employer merges a pair (chooses which employee to keep and confirms; the
// other one is removed) or declares them two people. The list is loaded
// here and again after each change of the employee list.
import { useEffect, useState } from 'preact/hooks';
import { reconciliationsApi } from '../../api/endpoints';
import type { Reconciliation, ReconciliationDuplicate, ReconciliationEmployee } from '../../api/types';
import { ErrorAlert } from '../../components/Alert';
import { RadioGroup } from '../../components/Field';
import { useForm } from '../../forms/useForm';
import { fmt, t } from '../../i18n';
import { employmentText } from './shared';

export const DUPLICATES_ANCHOR = 'recon-duplicates';

export function DuplicatesPanel({
  rec,
  employees,
  editable,
  onMerged,
}: {
  rec: Reconciliation;
  employees: ReconciliationEmployee[] | null;
  editable: boolean;
  onMerged: (kept: ReconciliationEmployee, removedId: string) => void;
}) {
  const [pairs, setPairs] = useState<ReconciliationDuplicate[] | null>(null);
  const [total, setTotal] = useState(0);
  const load = () =>
    reconciliationsApi
      .duplicates(rec.id)
      .then((r) => {
        setPairs(r.items);
        setTotal(r.total);
      })
      // Not offered (an older API, or no right to the people): no panel.
      .catch(() => setPairs([]));
  // Any change of the employees (an added one, a merge) may change the pairs.
  useEffect(() => {
    if (employees !== null) void load();
  }, [rec.id, employees]);
  if (!pairs || pairs.length === 0) return null;
  return (
    <section id={DUPLICATES_ANCHOR} tabIndex={-1} class="recon-duplicates alert alert-info" aria-labelledby="recon-duplicates-title">
      <h3 id="recon-duplicates-title">{t('recon.duplicates.title')}</h3>
      <p>{t(total === 1 ? 'recon.duplicates.introOne' : 'recon.duplicates.intro', { n: total })}</p>
      <ul class="plain-list recon-duplicate-list">
        {pairs.map((p) => (
          <DuplicatePair
            key={`${p.employees[0].id}-${p.employees[1].id}`}
            rec={rec}
            pair={p}
            editable={editable}
            onMerged={(kept, removedId) => {
              onMerged(kept, removedId);
              setPairs((old) => (old ?? []).filter((x) => !x.employees.some((e) => e.id === removedId)));
            }}
            onDismissed={() => void load()}
          />
        ))}
      </ul>
    </section>
  );
}

function EmployeeFacts({ e }: { e: ReconciliationEmployee }) {
  return (
    <span class="recon-duplicate-person">
      <strong>{e.display_name}</strong>
      <span class="cell-note">
        {t('participants.bsn')} {e.bsn} · {t('participants.birthDate')} {fmt.date(e.birth_date)}
      </span>
      {e.employments.map((x, i) => (
        <span key={i} class="cell-note">
          {employmentText(x)}
        </span>
      ))}
    </span>
  );
}

function DuplicatePair({
  rec,
  pair,
  editable,
  onMerged,
  onDismissed,
}: {
  rec: Reconciliation;
  pair: ReconciliationDuplicate;
  editable: boolean;
  onMerged: (kept: ReconciliationEmployee, removedId: string) => void;
  onDismissed: () => void;
}) {
  const [a, b] = pair.employees;
  const [merging, setMerging] = useState(false);
  const f = useForm({ keep: '' });
  const merge = f.submit(
    (v) => [['keep', v.keep === '', t('recon.duplicates.chooseKeep')]],
    async (v) => {
      const other = v.keep === a.id ? b.id : a.id;
      const r = await reconciliationsApi.mergeDuplicates(rec.id, v.keep, other);
      onMerged(r.data, other);
    },
  );
  const dismiss = () =>
    f.run(async () => {
      await reconciliationsApi.dismissDuplicates(rec.id, [a.id, b.id]);
      onDismissed();
    });
  return (
    <li class="recon-duplicate" data-pair={`${a.id} ${b.id}`}>
      <p class="recon-duplicate-reason">{t(pair.reason === 'same_bsn' ? 'recon.duplicates.sameBsn' : 'recon.duplicates.sameName')}</p>
      <div class="recon-duplicate-people">
        <EmployeeFacts e={a} />
        <EmployeeFacts e={b} />
      </div>
      <ErrorAlert messages={f.errors.general} />
      {editable && !merging && (
        <div class="button-row">
          <button type="button" class="btn btn-secondary btn-small" onClick={() => setMerging(true)}>
            {t('recon.duplicates.merge')}
          </button>
          <button type="button" class="btn btn-secondary btn-small" aria-busy={f.busy ? 'true' : undefined} onClick={() => void dismiss()}>
            {t('recon.duplicates.dismiss')}
          </button>
        </div>
      )}
      {editable && merging && (
        <form ref={f.formRef} noValidate onSubmit={merge} class="recon-merge-form">
          <RadioGroup
            name="keep"
            legend={t('recon.duplicates.keepLegend')}
            value={f.values.keep}
            onValue={f.set('keep')}
            options={[a, b].map((e) => ({ value: e.id, label: t('recon.duplicates.keepOption', { name: e.display_name, bsn: e.bsn }) }))}
            error={f.errors.fields.keep}
          />
          <p class="hint">{t('recon.duplicates.mergeHint')}</p>
          <div class="button-row">
            <button type="submit" class="btn btn-primary btn-small" aria-busy={f.busy ? 'true' : undefined}>
              {f.busy ? t('common.busy') : t('recon.duplicates.confirmMerge')}
            </button>
            <button type="button" class="btn btn-secondary btn-small" onClick={() => setMerging(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
    </li>
  );
}
