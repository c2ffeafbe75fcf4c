-- Organisations in the entity store: cdm.ingest matches an organisation's
-- records with each other by name without legal forms, per site, and never
-- with a person, whatever they share.  Entity ids are compared, not shown
-- (other suites ran before in this database).
SET client_min_messages = warning;

SELECT cdm.ingest('crm', 'org-1', '{"organisation_name": "ACME, Inc.", "phone": "+1 415 555 0100",
                   "email": "info@acme.example", "address": "1 Main Street", "city": "Springfield"}') AS acme \gset
-- the same company from billing: another legal form, the same site
SELECT cdm.ingest('billing', 'B-77', '{"organisation_name": "Acme Incorporated", "phone": "(415) 555-0100",
                   "address": "1 Main St", "city": "Springfield"}') AS acme_billing \gset
-- its contact person: same phone, e-mail and address, but a person
SELECT cdm.ingest('crm', 'person-1', '{"given_name": "Ada", "family_name": "Quist", "organisation_name": "ACME Inc",
                   "phone": "+1 415 555 0100", "email": "info@acme.example", "address": "1 Main Street",
                   "city": "Springfield"}') AS ada \gset
-- another site of the company: same name and head-office phone, another address
SELECT cdm.ingest('crm', 'org-2', '{"organisation_name": "ACME Inc.", "phone": "+1 415 555 0100",
                   "address": "40 Station Road", "city": "Shelbyville"}') AS acme_site2 \gset
-- another company at the same address
SELECT cdm.ingest('crm', 'org-3', '{"organisation_name": "Zenith Tools Ltd", "phone": "+1 415 555 0199",
                   "address": "1 Main Street", "city": "Springfield"}') AS zenith \gset

SELECT :acme = :acme_billing AS billing_record_joins_acme,
       :ada <> :acme AS person_stays_apart,
       :acme_site2 <> :acme AS second_site_stays_apart,
       :zenith <> :acme AS neighbour_stays_apart;
SELECT cdm.entity_kind(:acme) AS acme_kind, cdm.entity_kind(:ada) AS ada_kind;
-- nothing put in review between the person and the organisation
SELECT count(*) AS person_org_reviews
  FROM cdm.review r
 WHERE (r.entity_a, r.entity_b) IN ((:acme, :ada), (:ada, :acme));
-- the organisation's golden name, both records behind it
SELECT (SELECT value #>> '{}' FROM cdm.golden_value g WHERE g.entity = :acme AND g.attribute = 'organisation_name')
         IN ('ACME, Inc.', 'Acme Incorporated') AS golden_name,
       (SELECT count(*) FROM cdm.record r WHERE cdm.entity_live(r.entity) = :acme AND r.retired_at IS NULL) AS records;
