// Insurer staff publish documents for an employer (DESIGN.md §4.5): the file
// goes up as multipart with its fields; the API checks the content and tells
// the employer's notification address. Published documents can be withdrawn.
import { useEffect, useState } from 'preact/hooks';
import { allPages, documentsApi, organisationsApi } from '../../api/endpoints';
import type { DocumentKind, OrganisationSummary } from '../../api/types';
import { ErrorAlert, Notice } from '../../components/Alert';
import { DataTable } from '../../components/DataTable';
import { SelectField, SubmitButton, TextField } from '../../components/Field';
import { Page } from '../../components/Page';
import { Pager } from '../../components/Pager';
import { parseDateInput } from '../../format/dates';
import { hasErrors, NO_ERRORS, problemToFormErrors, runChecks, type FormErrors } from '../../forms/errors';
import { fmt, t } from '../../i18n';
import { usePaged } from '../../lib/usePaged';
import { schemeLabel, useSchemes } from '../../lib/accounts';
import { focusFirstProblem } from '../../forms/useForm';

const PUBLISHABLE: DocumentKind[] = [
  'invoice',
  'booking_overview',
  'reminder',
  'pension_rules',
  'execution_agreement',
  'addendum',
];

export function StaffDocumentsPage() {
  const [orgs, setOrgs] = useState<OrganisationSummary[] | null>(null);
  const [org, setOrg] = useState('');
  const [scheme, setScheme] = useState('');
  const [kind, setKind] = useState<DocumentKind>('invoice');
  const [title, setTitle] = useState('');
  const [date, setDate] = useState('');
  const [amount, setAmount] = useState('');
  const [due, setDue] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const [flash, setFlash] = useState<string | null>(null);
  const [formEl, setFormEl] = useState<HTMLFormElement | null>(null);
  const { schemes } = useSchemes(org || undefined, org !== '');
  const list = usePaged(
    (cursor) => documentsApi.list({ ...(org ? { organisation_id: org } : {}), cursor, limit: 25 }),
    `staff-documents-${org}`,
  );

  useEffect(() => {
    allPages((cursor) => organisationsApi.list({ kind: 'employer', cursor, limit: 200 }))
      .then(setOrgs)
      .catch(() => setOrgs([]));
  }, []);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const day = parseDateInput(date);
    const dueDay = due ? parseDateInput(due) : null;
    const c = runChecks([
      ['organisation_id', org === '', t('documents.chooseOrganisation')],
      ['title', title.trim() === '', t('validation.required')],
      ['document_date', day === null, t('validation.date')],
      ['due_date', due !== '' && dueDay === null, t('validation.date')],
      ['file', file === null, t('documents.chooseFile')],
    ]);
    if (hasErrors(c)) {
      setErrors(c);
      setTimeout(() => focusFirstProblem(formEl));
      return;
    }
    const form = new FormData();
    form.append('organisation_id', org);
    if (scheme) form.append('scheme_id', scheme);
    form.append('kind', kind);
    form.append('title', title.trim());
    form.append('document_date', day!);
    if (kind === 'invoice' && amount.trim()) form.append('amount', amount.trim().replace(',', '.'));
    if (kind === 'invoice' && dueDay) form.append('due_date', dueDay);
    form.append('file', file!, file!.name);
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await documentsApi.publish(form);
      setFlash(t('documents.published'));
      setTitle('');
      setAmount('');
      setDue('');
      setFile(null);
      formEl?.reset();
      list.reload();
    } catch (err) {
      setErrors(
        problemToFormErrors(err, ['organisation_id', 'scheme_id', 'kind', 'title', 'document_date', 'amount', 'due_date', 'file']),
      );
      setTimeout(() => focusFirstProblem(formEl));
    } finally {
      setBusy(false);
    }
  };

  const withdraw = async (docId: string) => {
    try {
      await documentsApi.withdraw(docId);
      setFlash(t('documents.withdrawn'));
      list.reload();
    } catch (err) {
      setErrors(problemToFormErrors(err));
    }
  };

  return (
    <Page title={t('nav.staffDocuments')} wide intro={<p>{t('documents.publishIntro')}</p>}>
      <Notice>{flash}</Notice>
      <div class="stack">
        <section class="card" aria-labelledby="doc-publish-title">
          <h2 id="doc-publish-title">{t('documents.publishTitle')}</h2>
          <form ref={setFormEl} noValidate onSubmit={submit}>
            <ErrorAlert messages={errors.general} />
            <SelectField
              name="organisation_id"
              label={t('documents.organisation')}
              value={org}
              onValue={(v) => {
                setOrg(v);
                setScheme('');
              }}
              error={errors.fields.organisation_id}
              options={[
                { value: '', label: t('documents.chooseOrganisation') },
                ...(orgs ?? []).map((o) => ({ value: o.id, label: o.name })),
              ]}
            />
            <SelectField
              name="scheme_id"
              label={t('documents.scheme')}
              value={scheme}
              onValue={setScheme}
              error={errors.fields.scheme_id}
              options={[
                { value: '', label: t('documents.wholeOrganisation') },
                ...(schemes ?? []).map((s) => ({ value: s.id, label: schemeLabel(s) })),
              ]}
            />
            <SelectField
              name="kind"
              label={t('documents.kind')}
              value={kind}
              onValue={setKind}
              error={errors.fields.kind}
              options={PUBLISHABLE.map((k) => ({ value: k, label: t(`documents.kind.${k}`) }))}
            />
            <TextField name="title" label={t('documents.title')} value={title} onValue={setTitle} error={errors.fields.title} />
            <TextField
              name="document_date"
              label={t('documents.documentDate')}
              hint={t('date.hint')}
              value={date}
              onValue={setDate}
              error={errors.fields.document_date}
              inputMode="numeric"
              class="input-short"
            />
            {kind === 'invoice' && (
              <>
                <TextField
                  name="amount"
                  label={t('documents.amount')}
                  hint={t('documents.amountHint')}
                  value={amount}
                  onValue={setAmount}
                  error={errors.fields.amount}
                  inputMode="decimal"
                  class="input-short"
                />
                <TextField
                  name="due_date"
                  label={t('documents.dueDate')}
                  hint={t('date.hint')}
                  value={due}
                  onValue={setDue}
                  error={errors.fields.due_date}
                  inputMode="numeric"
                  class="input-short"
                />
              </>
            )}
            <div class={`field${errors.fields.file ? ' field-invalid' : ''}`}>
              <label for="doc-file">{t('documents.fileLabel')}</label>
              <input
                id="doc-file"
                name="file"
                type="file"
                data-field="file"
                accept=".pdf,.xlsx,.csv,application/pdf,text/csv"
                aria-invalid={errors.fields.file ? 'true' : undefined}
                onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
              />
              {errors.fields.file && <p class="field-error">{errors.fields.file}</p>}
            </div>
            <SubmitButton busy={busy} busyLabel={t('common.busy')}>
              {t('documents.publish')}
            </SubmitButton>
          </form>
        </section>
        <section class="card" aria-labelledby="doc-recent-title">
          <h2 id="doc-recent-title">{t('documents.recent')}</h2>
          <ErrorAlert messages={list.errors} />
          <DataTable
            caption={t('documents.recent')}
            columns={[t('documents.title'), t('documents.date'), t('documents.kind'), { label: t('documents.withdraw'), hidden: true }]}
            loading={list.loading}
            count={list.items.length}
            empty={t('documents.none')}
          >
            {list.items.map((d) => (
              <tr key={d.id}>
                <th scope="row" data-label={t('documents.title')}>
                  {d.title}
                  <span class="cell-note">{d.file_name}</span>
                </th>
                <td data-label={t('documents.date')}>{fmt.date(d.document_date)}</td>
                <td data-label={t('documents.kind')}>{t(`documents.kind.${d.kind}`)}</td>
                <td>
                  <button type="button" class="btn btn-secondary btn-small" onClick={() => void withdraw(d.id)}>
                    {t('documents.withdraw')}
                    <span class="sr-only"> – {d.title}</span>
                  </button>
                </td>
              </tr>
            ))}
          </DataTable>
          <Pager list={list} label={t('documents.pages')} />
        </section>
      </div>
    </Page>
  );
}
