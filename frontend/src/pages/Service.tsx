// Service & contact: frequently asked questions, contact details, and
// "Heeft u een goed idee?" (seed 001 §8–9).
import { config } from '../config';
import { Icon } from '../components/Icon';
import { Link } from '../components/Link';
import { Page } from '../components/Page';
import { t, type MessageKey } from '../i18n';

const FAQ: [question: MessageKey, answer: MessageKey][] = [
  ['faq.activate.q', 'faq.activate.a'],
  ['faq.phone.q', 'faq.phone.a'],
  ['faq.password.q', 'faq.password.a'],
  ['faq.rights.q', 'faq.rights.a'],
  ['faq.contact.q', 'faq.contact.a'],
  ['faq.darkMode.q', 'faq.darkMode.a'],
];

export function ServicePage({ signedIn }: { signedIn: boolean }) {
  const mailSubject = encodeURIComponent(t('feedback.subject'));
  return (
    <Page title={t('service.title')} wide intro={<p>{t('service.intro')}</p>}>
      <div class="sections">
        <section class="card" aria-labelledby="faq-title">
          <h2 id="faq-title">{t('service.faq')}</h2>
          <div class="faq">
            {FAQ.map(([q, a]) => (
              <details key={q}>
                <summary>{t(q)}</summary>
                <p>{t(a)}</p>
              </details>
            ))}
          </div>
          {signedIn && (
            <p>
              <Link href="/organisation">{t('service.seeAdmins')}</Link>
            </p>
          )}
        </section>
        <section class="card" aria-labelledby="contact-us-title">
          <h2 id="contact-us-title">{t('service.contact')}</h2>
          <p>{t('service.contactIntro')}</p>
          <ul class="contact-list">
            <li>
              <Icon name="phone" />
              <span>
                {t('common.phone')}: <a href={`tel:${config.servicePhone.replace(/[^\d+]/g, '')}`}>{config.servicePhone}</a>
                <br />
                <span class="muted">{t('service.hours')}</span>
              </span>
            </li>
            <li>
              <Icon name="mail" />
              <span>
                {t('common.email')}: <a href={`mailto:${config.serviceEmail}`}>{config.serviceEmail}</a>
              </span>
            </li>
          </ul>
        </section>
        <section class="card" aria-labelledby="idea-title" id="idea">
          <h2 id="idea-title">{t('feedback.link')}</h2>
          <p>{t('feedback.intro')}</p>
          <p>
            <a class="btn btn-secondary" href={`mailto:${config.feedbackEmail}?subject=${mailSubject}`}>
              <Icon name="bulb" />
              {t('feedback.button')}
            </a>
          </p>
        </section>
      </div>
    </Page>
  );
}
