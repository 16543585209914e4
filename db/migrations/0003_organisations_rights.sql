-- 0003_organisations_rights: schemes, the rights catalogue, mandates and API
-- tokens.
--
-- Rights are rows, not code. Each right belongs to one organisation kind and
-- carries the capabilities it gives (what the access module checks); the
-- combination rules are rows of right_rules:
--   bundle        the rights in `rights` are granted all together or not at all
--   requires_any  the right in `rights[1]` needs at least one of `requires`
--   never         the rights in `rights` are never granted
-- `licensable` marks intermediary rights bounded by the office's WFT licences.
-- The capability rights.grant_all lets an employer's user_management grant
-- every employer right (seed 001 §2.1: "alle rechten"); an intermediary's
-- Beheerder grants only the rights it holds itself (seed 000: a limited
-- administrator).
--
-- What a caller may see is computed by portal_visible_schemes(): insurer
-- staff see every scheme; an employer's users see their organisation's
-- schemes within their scope; an intermediary's users see the schemes an
-- employer mandated to their office, income schemes with the right
-- inkomensverzekering and pension schemes with pensioenverzekering, with the
-- mandate's access (read as hr_read, read_write as hr).

CREATE TABLE rights (
    organisation_kind text NOT NULL CHECK (organisation_kind IN ('insurer', 'employer', 'intermediary')),
    id                text NOT NULL,
    label_nl          text NOT NULL,
    label_en          text NOT NULL,
    description_nl    text NOT NULL,
    description_en    text NOT NULL,
    capabilities      text[] NOT NULL DEFAULT '{}',
    licensable        boolean NOT NULL DEFAULT false,
    sort_order        integer NOT NULL,
    PRIMARY KEY (organisation_kind, id)
);

CREATE TABLE right_rules (
    id                serial PRIMARY KEY,
    organisation_kind text NOT NULL,
    kind              text NOT NULL CHECK (kind IN ('bundle', 'requires_any', 'never')),
    rights            text[] NOT NULL,
    requires          text[] NOT NULL DEFAULT '{}',
    description_nl    text NOT NULL,
    description_en    text NOT NULL
);

INSERT INTO rights VALUES
 ('insurer', 'staff', 'Medewerker verzekeraar', 'Insurer staff',
  'Beheert klanten, regelingen en beoordelingen voor alle werkgevers.',
  'Manages customers, schemes and reviews for every employer.',
  '{organisations.manage,schemes.manage,schemes.read,reviews.manage,users.manage,tokens.manage,audit.read,audit.read_all,participants.read,participants.write,participants.bsn,exports,batches,reconciliation,documents.legal,documents.financial,documents.manage}', false, 1),
 ('employer', 'user_management', 'Gebruikersbeheer', 'User management',
  'Alle rechten, plus gebruikers, API-sleutels, machtigingen en het auditlog beheren.',
  'All rights, plus managing users, API tokens, mandates and the audit log.',
  '{rights.grant_all,users.manage,tokens.manage,mandates.manage,audit.read,schemes.read,participants.read,participants.write,participants.bsn,exports,batches,reconciliation,documents.legal,documents.financial}', false, 1),
 ('employer', 'hr', 'HR', 'HR',
  'Wijzigingen doorvoeren, gegevens exporteren en regeling en deelnemers inzien; geen financiële documenten.',
  'Make changes, export data and view the scheme and participants; no financial documents.',
  '{schemes.read,participants.read,participants.write,participants.bsn,exports,batches,reconciliation,documents.legal}', false, 2),
 ('employer', 'hr_read', 'HR raadplegen', 'HR read-only',
  'Regeling, deelnemers en juridische documenten raadplegen, zonder te wijzigen.',
  'Consult the scheme, participants and legal documents without changing anything.',
  '{schemes.read,participants.read,documents.legal}', false, 3),
 ('employer', 'finance', 'Finance', 'Finance',
  'Uitsluitend financiële documenten en de details van de regeling inzien.',
  'Only view financial documents and the scheme details.',
  '{schemes.read,documents.financial}', false, 4),
 ('intermediary', 'beleggingsobjecten', 'Beleggingsobjecten', 'Investment objects',
  'Nodig voor bancaire aanvragen zoals Lijfrente Uitkeren; altijd samen met Spaarrekeningen en Vermogen.',
  'Needed for banking applications; always together with Savings accounts and Wealth.', '{}', true, 1),
 ('intermediary', 'betaalrekeningen', 'Betaalrekeningen', 'Payment accounts',
  'Een leeg recht dat zelden wordt toegekend.', 'An empty right, rarely granted.', '{}', true, 2),
 ('intermediary', 'consumptief_krediet', 'Consumptief krediet', 'Consumer credit',
  'Een leeg recht dat zelden wordt toegekend.', 'An empty right, rarely granted.', '{}', true, 3),
 ('intermediary', 'elektronisch_geld', 'Elektronisch geld', 'Electronic money',
  'Een leeg recht dat zelden wordt toegekend.', 'An empty right, rarely granted.', '{}', true, 4),
 ('intermediary', 'hypothecair_krediet', 'Hypothecair krediet', 'Mortgage credit',
  'Hypotheekdata en statusinformatie van hypotheken in aanvraag inzien.',
  'View mortgage data and the status of mortgage applications.', '{}', true, 5),
 ('intermediary', 'inkomensverzekering', 'Inkomensverzekering', 'Income insurance',
  'Inkomensproducten aanvragen; geeft toegang tot inkomensregelingen van werkgevers die een machtiging gaven.',
  'Apply for income products; gives access to the income schemes of employers who granted a mandate.',
  '{mandate.income}', true, 6),
 ('intermediary', 'pensioenverzekering', 'Pensioenverzekering', 'Pension insurance',
  'Pensioenproducten aanvragen; geeft toegang tot pensioenregelingen van werkgevers die een machtiging gaven.',
  'Apply for pension products; gives access to the pension schemes of employers who granted a mandate.',
  '{mandate.pension}', true, 7),
 ('intermediary', 'premiepensioenvorderingen', 'Premiepensioenvorderingen', 'Premium pension claims',
  'Wordt samen met Pensioenverzekering toegekend; verder een leeg recht.',
  'Granted together with Pension insurance; otherwise empty.', '{}', true, 8),
 ('intermediary', 'schadeverzekeringen_particulier', 'Schadeverzekeringen particulier', 'Private non-life insurance',
  'Aanvragen, mutaties en schadeclaims voor particuliere schadeverzekeringen.',
  'Applications, changes and claims for private non-life insurance.', '{}', true, 9),
 ('intermediary', 'schadeverzekeringen_zakelijk', 'Schadeverzekeringen zakelijk', 'Business non-life insurance',
  'Wordt niet toegekend: de verzekeraar biedt geen zakelijke schadeverzekering.',
  'Never granted: the insurer offers no business non-life insurance.', '{}', true, 10),
 ('intermediary', 'spaarrekeningen', 'Spaarrekeningen', 'Savings accounts',
  'Altijd samen met Beleggingsobjecten en Vermogen voor bancaire aanvragen.',
  'Always together with Investment objects and Wealth for banking applications.', '{}', true, 11),
 ('intermediary', 'vermogen', 'Vermogen', 'Wealth',
  'Aanvragen voor Leven; altijd samen met Beleggingsobjecten en Spaarrekeningen.',
  'Life insurance applications; always together with Investment objects and Savings accounts.', '{}', true, 12),
 ('intermediary', 'zorgverzekeringen', 'Zorgverzekeringen', 'Health insurance',
  'Een leeg recht dat zelden wordt toegekend.', 'An empty right, rarely granted.', '{}', true, 13),
 ('intermediary', 'user_management', 'Beheerder', 'Administrator',
  'Andere gebruikers van het kantoor aanmaken, wijzigen en verwijderen.',
  'Create, change and delete the office''s other users.',
  '{users.manage,tokens.manage,audit.read}', false, 14),
 ('intermediary', 'klantbeeld', 'Klantbeeld', 'Customer view',
  'Volledige inzage in klantgegevens; alleen samen met minstens één productrecht.',
  'Full view of customer data; only with at least one product right.', '{}', false, 15),
 ('intermediary', 'financieel_rekening_courant', 'Financieel rekening courant', 'Financial current account',
  'Financiële gegevens, debiteurenbeheer en financiële documenten van het kantoor.',
  'The office''s financial data, receivables and financial documents.', '{}', false, 16),
 ('intermediary', 'advieskansen', 'Advieskansen', 'Advice opportunities',
  'Nu nog leeg; de eerste beheerder krijgt dit recht altijd.',
  'Empty for now; the first administrator always receives it.', '{}', false, 17);

INSERT INTO right_rules (organisation_kind, kind, rights, requires, description_nl, description_en) VALUES
 ('intermediary', 'bundle', '{beleggingsobjecten,spaarrekeningen,vermogen}', '{}',
  'Beleggingsobjecten, Spaarrekeningen en Vermogen worden alleen samen toegekend.',
  'Investment objects, Savings accounts and Wealth are only granted together.'),
 ('intermediary', 'bundle', '{premiepensioenvorderingen,pensioenverzekering}', '{}',
  'Premiepensioenvorderingen en Pensioenverzekering worden alleen samen toegekend.',
  'Premium pension claims and Pension insurance are only granted together.'),
 ('intermediary', 'requires_any', '{klantbeeld}',
  '{beleggingsobjecten,betaalrekeningen,consumptief_krediet,elektronisch_geld,hypothecair_krediet,inkomensverzekering,pensioenverzekering,premiepensioenvorderingen,schadeverzekeringen_particulier,schadeverzekeringen_zakelijk,spaarrekeningen,vermogen,zorgverzekeringen}',
  'Klantbeeld vraagt minstens één productrecht.', 'Customer view needs at least one product right.'),
 ('intermediary', 'never', '{schadeverzekeringen_zakelijk}', '{}',
  'Schadeverzekeringen zakelijk wordt nooit toegekend.', 'Business non-life insurance is never granted.');

ALTER TABLE organisations ADD COLUMN deleted_at timestamptz;
CREATE INDEX organisations_kind_name ON organisations (kind, lower(name));

CREATE TABLE schemes (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id     uuid NOT NULL REFERENCES organisations (id),
    name                text NOT NULL,
    number              text NOT NULL,
    kind                text NOT NULL CHECK (kind IN ('pension', 'income')),
    start_date          date NOT NULL,
    coverages           jsonb NOT NULL DEFAULT '[]'::jsonb,
    premium             jsonb NOT NULL DEFAULT '{}'::jsonb,
    variant             text CHECK (variant IN ('stop_loss', 'no_claim')),
    insured_wage_type   text CHECK (insured_wage_type IN ('uniform_wage', 'uniform_wage_excl_car', 'pensionable_salary')),
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    version             integer NOT NULL DEFAULT 1,
    CHECK (kind = 'income' OR (variant IS NULL AND insured_wage_type IS NULL))
);
CREATE UNIQUE INDEX schemes_number ON schemes (number);
CREATE INDEX schemes_org ON schemes (organisation_id);

CREATE TABLE mandates (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    employer_id      uuid NOT NULL REFERENCES organisations (id),
    intermediary_id  uuid NOT NULL REFERENCES organisations (id),
    access           text NOT NULL CHECK (access IN ('read', 'read_write')),
    created_by       uuid REFERENCES users (id),
    created_at       timestamptz NOT NULL DEFAULT now(),
    revoked_at       timestamptz
);
CREATE TABLE mandate_schemes (
    mandate_id  uuid NOT NULL REFERENCES mandates (id),
    scheme_id   uuid NOT NULL REFERENCES schemes (id),
    PRIMARY KEY (mandate_id, scheme_id)
);
CREATE INDEX mandates_intermediary ON mandates (intermediary_id) WHERE revoked_at IS NULL;
CREATE INDEX mandates_employer ON mandates (employer_id);

CREATE TABLE api_tokens (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id  uuid NOT NULL REFERENCES organisations (id),
    created_by       uuid NOT NULL REFERENCES users (id),
    name             text NOT NULL,
    prefix           text NOT NULL,
    token_hash       text NOT NULL UNIQUE,
    rights           text[] NOT NULL,
    scheme_ids       uuid[],
    expires_at       timestamptz NOT NULL,
    last_used_at     timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    revoked_at       timestamptz
);
CREATE INDEX api_tokens_org ON api_tokens (organisation_id, created_at DESC);

-- Schemes a caller may see, with the rights that apply to each.
CREATE FUNCTION portal_visible_schemes(p_org uuid, p_kind text, p_rights text[], p_all boolean,
                                       p_scope uuid[])
RETURNS TABLE (scheme_id uuid, rights text[], rights_kind text) LANGUAGE sql STABLE AS $$
    SELECT s.id, p_rights, p_kind FROM schemes s
     WHERE p_kind = 'insurer' AND 'staff' = ANY (p_rights)
    UNION ALL
    SELECT s.id, p_rights, p_kind FROM schemes s
     WHERE p_kind = 'employer' AND s.organisation_id = p_org
       AND (p_all OR s.id = ANY (p_scope))
    UNION ALL
    SELECT s.id, CASE WHEN bool_or(m.access = 'read_write') THEN ARRAY['hr'] ELSE ARRAY['hr_read'] END,
           'employer'::text
      FROM mandates m
      JOIN mandate_schemes ms ON ms.mandate_id = m.id
      JOIN schemes s ON s.id = ms.scheme_id
     WHERE p_kind = 'intermediary' AND m.intermediary_id = p_org AND m.revoked_at IS NULL
       AND ((s.kind = 'income' AND 'inkomensverzekering' = ANY (p_rights))
         OR (s.kind = 'pension' AND 'pensioenverzekering' = ANY (p_rights)))
       AND (p_all OR s.id = ANY (p_scope))
     GROUP BY s.id
$$;
