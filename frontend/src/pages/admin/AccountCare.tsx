// Account care on the user screen (seed 002 §4-5, seed 003): reset the
// second sign-in step, lift a sign-in block, hand the main administrator role
// over, and for an external user who invited them and who answers for them,
// with a handover to another administrator.
import { useEffect, useState } from 'preact/hooks';
import { accountCareApi, allPages, usersApi } from '../../api/endpoints';
import type { Me, User, UserResponsibility } from '../../api/types';
import { ErrorAlert, Notice } from '../../components/Alert';
import { SelectField } from '../../components/Field';
import { problemToFormErrors } from '../../forms/errors';
import { t, type MessageKey } from '../../i18n';
import { fullName, isStaff } from '../../lib/accounts';

export function AccountCare({ me, user, onChanged }: { me: Me; user: User; onChanged?: () => void }) {
  const [info, setInfo] = useState<UserResponsibility | null>(null);
  const [admins, setAdmins] = useState<User[]>([]);
  const [to, setTo] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let live = true;
    accountCareApi
      .responsibility(user.id)
      .then((r) => live && setInfo(r))
      .catch(() => live && setInfo(null));
    return () => {
      live = false;
    };
  }, [user.id, tick]);

  useEffect(() => {
    if (!user.expires_at) return;
    allPages((cursor) => usersApi.list({ organisation_id: user.organisation_id, cursor, limit: 200 }))
      .then((all) =>
        setAdmins(all.filter((u) => u.rights.includes('user_management') && !u.expires_at && u.status === 'active')),
      )
      .catch(() => setAdmins([]));
  }, [user.id]);

  const run = async (action: () => Promise<unknown>, message: MessageKey) => {
    setErrors([]);
    setDone(null);
    try {
      await action();
      setDone(t(message));
      setTick((n) => n + 1);
      onChanged?.();
    } catch (e) {
      setErrors(problemToFormErrors(e).general);
    }
  };

  const isMain = info?.main_administrator?.id === user.id;
  const mayMakeMain =
    !isMain && !user.expires_at && user.rights.includes('user_management') && user.status === 'active' &&
    (isStaff(me) || info?.main_administrator?.id === me.id);

  return (
    <section class="card" aria-labelledby="care-title">
      <h2 id="care-title">{t('care.title')}</h2>
      <p>{t('care.intro')}</p>
      <Notice>{done}</Notice>
      <ErrorAlert messages={errors} />
      {info && (
        <dl class="care-facts">
          {info.main_administrator && (
            <>
              <dt>{t('care.mainAdministrator')}</dt>
              <dd>{info.main_administrator.name}</dd>
            </>
          )}
          {info.invited_by && (
            <>
              <dt>{t('care.invitedBy')}</dt>
              <dd>{info.invited_by.name}</dd>
            </>
          )}
          {info.external && info.responsible && (
            <>
              <dt>{t('care.responsible')}</dt>
              <dd>{info.responsible.name}</dd>
            </>
          )}
        </dl>
      )}
      {user.status === 'active' && (
        <div class="action-line">
          <p>{t('care.resetSecondFactor.hint')}</p>
          <button
            type="button"
            class="btn btn-secondary"
            onClick={() => void run(() => accountCareApi.resetSecondFactor(user.id), 'care.resetSecondFactor.done')}
          >
            {t('care.resetSecondFactor')}
          </button>
        </div>
      )}
      {user.username && (
        <div class="action-line">
          <p>{t('care.releaseLogin.hint')}</p>
          <button
            type="button"
            class="btn btn-secondary"
            onClick={() => void run(() => accountCareApi.releaseLogin(user.id), 'care.releaseLogin.done')}
          >
            {t('care.releaseLogin')}
          </button>
        </div>
      )}
      {mayMakeMain && (
        <div class="action-line">
          <p>{t('care.mainAdministrator')}</p>
          <button
            type="button"
            class="btn btn-secondary"
            onClick={() => void run(() => accountCareApi.makeMainAdministrator(user.id), 'care.makeMain.done')}
          >
            {t('care.makeMain')}
          </button>
        </div>
      )}
      {info?.external && admins.length > 0 && (
        <div class="action-line care-handover">
          <SelectField
            name="responsible_user_id"
            label={t('care.handOver')}
            value={to}
            onValue={setTo}
            options={[
              { value: '', label: '—' },
              ...admins.filter((a) => a.id !== info.responsible?.id).map((a) => ({ value: a.id, label: fullName(a) })),
            ]}
          />
          <button
            type="button"
            class="btn btn-secondary"
            onClick={() => to && void run(() => accountCareApi.handOver(user.id, to), 'care.handedOver')}
          >
            {t('care.handOverButton')}
          </button>
        </div>
      )}
    </section>
  );
}
