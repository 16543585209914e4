// Step 4, "Aanleveren" (seed 002 §19–21): the payroll summary
// (verzamelloonstaat) and, for a stop-loss insurance where the insurer may
// ask for it, the absence report (arborapportage). Each shows the checklist
// of its question, which the employer confirms before the upload; beside
// the upload stands that the portal never asks for medical data. The API
// judges the file by its content (PDF, XLSX or CSV; not empty; at most 20 MiB).
// Every uploaded file is listed with a download, for all who read the
// reconciliation. A file the insurer asked for when opening
// (evidence_requested) is always offered and marked as asked.
import { download } from '../../api/client';
import { reconciliationsApi } from '../../api/endpoints';
import type { EvidenceKind, Reconciliation, ReconciliationEvidence } from '../../api/types';
import { ErrorAlert } from '../../components/Alert';
import { CheckboxField, SubmitButton } from '../../components/Field';
import { useForm } from '../../forms/useForm';
import { fmt, t, type MessageKey } from '../../i18n';
import { saveBlob } from '../documents/Documents';

const CHECKLIST: Record<EvidenceKind, MessageKey[]> = {
  payroll_summary: ['recon.evidence.ps.1', 'recon.evidence.ps.2', 'recon.evidence.ps.3', 'recon.evidence.ps.4', 'recon.evidence.ps.5'],
  absence_report: ['recon.evidence.ar.1', 'recon.evidence.ar.2', 'recon.evidence.ar.3', 'recon.evidence.ar.4', 'recon.evidence.ar.5', 'recon.evidence.ar.6'],
};

/** Which uploads the step offers: the absence report only where sick reports count (stop-loss), the insurer asked for it, or one is there already. */
export function evidenceKinds(rec: Pick<Reconciliation, 'variant' | 'evidence' | 'evidence_requested'>): EvidenceKind[] {
  const asked =
    rec.variant === 'stop_loss' || (rec.evidence_requested ?? []).includes('absence_report') || (rec.evidence ?? []).some((e) => e.kind === 'absence_report');
  return asked ? ['payroll_summary', 'absence_report'] : ['payroll_summary'];
}

export function EvidenceStep({ rec, editable, onAdded }: { rec: Reconciliation; editable: boolean; onAdded: (e: ReconciliationEvidence) => void }) {
  return (
    <section class="card" aria-labelledby="recon-evidence-title">
      <h2 id="recon-evidence-title">{t('recon.step.evidence')}</h2>
      <p>{t('recon.evidence.intro')}</p>
      <p class="recon-privacy" data-testid="no-medical-data">
        <strong>{t('recon.evidence.noMedical')}</strong>
      </p>
      {evidenceKinds(rec).map((kind) => (
        <EvidenceUpload key={kind} rec={rec} kind={kind} editable={editable} onAdded={onAdded} />
      ))}
    </section>
  );
}

function EvidenceUpload({
  rec,
  kind,
  editable,
  onAdded,
}: {
  rec: Reconciliation;
  kind: EvidenceKind;
  editable: boolean;
  onAdded: (e: ReconciliationEvidence) => void;
}) {
  const f = useForm({ checklist_confirmed: false, file: null as File | null }, { fields: ['checklist_confirmed', 'file', 'kind'] });
  const present = (rec.evidence ?? []).filter((e) => e.kind === kind);
  const titleId = `recon-evidence-${kind}`;
  const downloading = useForm({});
  // Not run(): several files may download at the same time.
  const fetchFile = async (e: ReconciliationEvidence) => {
    downloading.clearErrors();
    try {
      const { blob, filename } = await download(reconciliationsApi.evidencePath(rec.id, e.id));
      saveBlob(blob, filename ?? e.file_name);
    } catch (err) {
      downloading.showProblem(err);
    }
  };
  const submit = f.submit(
    (v) => [
      ['file', v.file === null, t('recon.evidence.chooseFile')],
      ['checklist_confirmed', !v.checklist_confirmed, t('recon.evidence.confirmFirst')],
    ],
    async (v) => {
      const form = new FormData();
      form.append('kind', kind);
      form.append('checklist_confirmed', 'true');
      form.append('file', v.file!);
      const r = await reconciliationsApi.addEvidence(rec.id, form);
      f.formRef.current?.reset();
      f.reset();
      onAdded(r.data);
    },
  );
  return (
    <div class="recon-evidence" aria-labelledby={titleId}>
      <h3 id={titleId} tabIndex={-1}>
        {t(kind === 'payroll_summary' ? 'recon.evidence.payrollSummary' : 'recon.evidence.absenceReport')}
        {(rec.evidence_requested ?? []).includes(kind) && (
          <>
            {' '}
            <span class="badge recon-asked">{t('recon.evidence.asked')}</span>
          </>
        )}
      </h3>
      <p class="hint">{t(kind === 'payroll_summary' ? 'recon.evidence.payrollSummaryWhen' : 'recon.evidence.absenceReportWhen')}</p>
      <p>{t(kind === 'payroll_summary' ? 'recon.evidence.psIntro' : 'recon.evidence.arIntro')}</p>
      <ul class="recon-checklist">
        {CHECKLIST[kind].map((k) => (
          <li key={k}>{t(k)}</li>
        ))}
      </ul>
      {kind === 'absence_report' && <p class="hint">{t('recon.evidence.arNotMedical')}</p>}
      <ErrorAlert messages={downloading.errors.general} />
      {present.length > 0 && (
        <ul class="plain-list recon-files">
          {present.map((e) => (
            <li key={e.id} data-evidence-id={e.id}>
              {t('recon.evidence.received', { name: e.file_name, date: fmt.dateTime(e.created_at) })}{' '}
              <a
                href={`/api/v1${reconciliationsApi.evidencePath(rec.id, e.id)}`}
                class="btn btn-secondary btn-small"
                onClick={(ev) => {
                  ev.preventDefault();
                  void fetchFile(e);
                }}
              >
                {t('recon.evidence.download')}
                <span class="sr-only"> – {e.file_name}</span>
              </a>
            </li>
          ))}
        </ul>
      )}
      {editable && (
        <form ref={f.formRef} noValidate onSubmit={submit}>
          <ErrorAlert messages={f.errors.general} />
          <CheckboxField
            name={`checklist_confirmed-${kind}`}
            label={t('recon.evidence.confirm')}
            checked={f.values.checklist_confirmed}
            onChange={f.set('checklist_confirmed')}
            error={f.errors.fields.checklist_confirmed}
          />
          <div class={`field${f.errors.fields.file ? ' field-invalid' : ''}`}>
            <label for={`file-${kind}`}>{t('recon.evidence.file')}</label>
            <p id={`file-${kind}-hint`} class="hint">
              {t('recon.evidence.fileHint')}
            </p>
            <input
              id={`file-${kind}`}
              type="file"
              data-field={`file-${kind}`}
              accept=".pdf,.xlsx,.csv,application/pdf,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              aria-invalid={f.errors.fields.file ? 'true' : undefined}
              aria-describedby={`file-${kind}-hint${f.errors.fields.file ? ` file-${kind}-err` : ''}`}
              onChange={(e) => f.set('file')(e.currentTarget.files?.[0] ?? null)}
            />
            {f.errors.fields.file && (
              <p id={`file-${kind}-err`} class="field-error">
                {f.errors.fields.file}
              </p>
            )}
          </div>
          <SubmitButton busy={f.busy} busyLabel={t('common.busy')}>
            {t(kind === 'payroll_summary' ? 'recon.evidence.uploadPs' : 'recon.evidence.uploadAr')}
          </SubmitButton>
        </form>
      )}
    </div>
  );
}
