-- bench/lifecycle_gen.sql: deterministic milestones for the lifecycle
-- benchmark (bench/lifecycle.sh): :entities people over the three years
-- before :anchor, about ten milestones each, set-based SQL only.
--
--   bench_lc.person (entity, ...)   what was drawn for each person
--   bench_lc.gen (entity bigint, milestone text, at timestamptz, source text,
--                 amount numeric)  the milestones, in the layout
--                 cdm.load_milestones reads; the peer's table is a copy
--   bench_lc.merge_pair (seq, a, b) the merges to make (bench/lifecycle.sh
--                 makes them with cdm.merge and gives the peer the same pairs)
--
-- Pseudo-randomness: setseed(0.42) and random(), in one serial session
-- (parallel workers off: a worker's random() is not seeded), over tables
-- scanned in the order they were written; the same anchor gives the same
-- rows on every run.  Every moment is relative to :anchor, so the structure
-- is the same whatever the anchor.
--
-- The funnel (shares of all people):
--   100%  lead_created         t0: within the 3 years before the anchor,
--                              more of them recent (anchor - 3y * u^1.3)
--    70%  onboarding_started   t0 + 1..21 days
--    62%  documents_submitted  + 1..15 days (3% of those who complete
--                              onboarding have no documents on record)
--    56%  onboarding_completed + 1..11 days
--    50%  ready_for_service    + 0..7 days
--    47%  contract_signed      ready - 3 days .. + 7 days: customers
--     3%  ready, no contract: a free tier, logins only for 1..13 months
-- Customers: 75% pay monthly, 25% quarterly (invoice_paid a cycle after the
-- contract, then every cycle, 0..10 days late; 5% of payers pay 0..100 days
-- late, so the 90-day window of the finance definition has edges to find);
-- a login in a month with the customer's own probability (0.1..0.9); a
-- purchase in 5% of months.  30% churn (contract_ended 1..31 months after
-- signing, nothing after it), and 30% of those come back (a second
-- contract_signed 1..12 months later, payments and logins again); 8% of the
-- others go dormant (stop paying and logging in 3..27 months after signing,
-- no contract_ended).  Events at or after the anchor are dropped.
--
-- Merges (bench_lc.merge_pair): entity 500j+7 into 500j+4 for every j (0.2%
-- of entities), and for every 20th j also 500j+9 into 500j+7 after that
-- (a chain: the survivor is 500j+4).  Both members keep their own
-- milestones, as duplicates from two systems would.
\set ON_ERROR_STOP 1
SET max_parallel_workers_per_gather = 0;
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS bench_lc CASCADE;
CREATE SCHEMA bench_lc;

SELECT setseed(0.42);

-- The anchor as a psql variable is text; one row holds it as timestamptz.
CREATE TABLE bench_lc.param AS
SELECT :'anchor'::timestamptz AS anchor, :entities::bigint AS entities;

-- One row of uniforms per person, in entity order (random() is called in
-- the order of the select list, row by row).
CREATE UNLOGGED TABLE bench_lc.draw AS
SELECT i AS entity,
       random() AS u_t0, random() AS u_depth, random() AS u_os, random() AS u_docs,
       random() AS u_comp, random() AS u_ready, random() AS u_sign, random() AS u_nodocs,
       random() AS u_cycle, random() AS u_late, random() AS u_login, random() AS u_churn,
       random() AS u_tenure, random() AS u_back, random() AS u_backgap, random() AS u_dormant,
       random() AS u_dormgap, random() AS u_free
  FROM generate_series(1, :entities) i;

CREATE UNLOGGED TABLE bench_lc.person AS
WITH d AS (
  SELECT d.*, p.anchor,
         p.anchor - interval '1096 days' * power(d.u_t0, 1.3) AS t0,
         CASE WHEN d.u_depth < 0.30 THEN 0      -- lead only
              WHEN d.u_depth < 0.38 THEN 1      -- onboarding started
              WHEN d.u_depth < 0.44 THEN 2      -- documents submitted
              WHEN d.u_depth < 0.50 THEN 3      -- onboarding completed
              WHEN d.u_depth < 0.53 THEN 4      -- ready for service, no contract
              ELSE 5 END AS depth              -- contract signed
    FROM bench_lc.draw d CROSS JOIN bench_lc.param p
), t AS (
  SELECT d.*,
         d.t0 + interval '1 day' * (1 + 20 * d.u_os) AS t_os
    FROM d
), t2 AS (
  SELECT t.*, t.t_os + interval '1 day' * (1 + 14 * t.u_docs) AS t_docs FROM t
), t3 AS (
  SELECT t2.*, t2.t_docs + interval '1 day' * (1 + 10 * t2.u_comp) AS t_comp FROM t2
), t4 AS (
  SELECT t3.*, t3.t_comp + interval '1 day' * (7 * t3.u_ready) AS t_ready FROM t3
)
SELECT t4.entity, t4.anchor, t4.depth, t4.t0, t4.t_os, t4.t_docs, t4.t_comp, t4.t_ready,
       t4.t_ready + interval '1 day' * (-3 + 10 * t4.u_sign) AS t_sign,
       t4.depth >= 3 AND t4.u_nodocs < 0.03 AS no_docs,
       CASE WHEN t4.u_cycle < 0.65 THEN interval '1 month' ELSE interval '3 months' END AS cycle,
       CASE WHEN t4.u_late < 0.05 THEN 100 ELSE 10 END AS late_days,
       0.05 + 0.55 * t4.u_login AS p_login,
       t4.u_churn < 0.35 AS churns,
       interval '1 month' * (1 + 23 * t4.u_tenure) AS tenure,
       t4.u_back < 0.30 AS comes_back,
       interval '1 month' * (1 + 11 * t4.u_backgap) AS back_gap,
       t4.u_dormant < 0.08 AS dormant,
       interval '1 month' * (3 + 24 * t4.u_dormgap) AS dormant_after,
       interval '1 month' * (1 + 12 * t4.u_free) AS free_months
  FROM t4;
DROP TABLE bench_lc.draw;

-- Periods in which a person pays and logs in: (entity, seq, start, stop,
-- pays).  stop is where the period ends (churn, dormancy, end of the free
-- tier or the anchor).
CREATE UNLOGGED TABLE bench_lc.period AS
SELECT p.entity, 1 AS seq, p.t_sign AS start,
       least(p.anchor, CASE WHEN p.churns THEN p.t_sign + p.tenure
                            WHEN p.dormant THEN p.t_sign + p.dormant_after
                            ELSE p.anchor END) AS stop,
       true AS pays, p.cycle, p.late_days, p.p_login
  FROM bench_lc.person p WHERE p.depth = 5 AND p.t_sign < p.anchor
UNION ALL
SELECT p.entity, 2, p.t_sign + p.tenure + p.back_gap, p.anchor, true, p.cycle, p.late_days, p.p_login
  FROM bench_lc.person p
 WHERE p.depth = 5 AND p.churns AND p.comes_back AND p.t_sign + p.tenure + p.back_gap < p.anchor
UNION ALL
SELECT p.entity, 1, p.t_ready, least(p.anchor, p.t_ready + p.free_months), false, p.cycle, p.late_days, p.p_login
  FROM bench_lc.person p WHERE p.depth = 4 AND p.t_ready < p.anchor;

CREATE UNLOGGED TABLE bench_lc.gen (
  entity bigint NOT NULL, milestone text NOT NULL, at timestamptz NOT NULL,
  source text NOT NULL, amount numeric
);

-- the funnel
INSERT INTO bench_lc.gen
SELECT v.entity, v.milestone, v.at, v.source, NULL
  FROM bench_lc.person p
 CROSS JOIN LATERAL (VALUES
   (p.entity, 'lead_created',         p.t0,     'crm',        true),
   (p.entity, 'onboarding_started',   p.t_os,   'crm',        p.depth >= 1),
   (p.entity, 'documents_submitted',  p.t_docs, 'onboarding', p.depth >= 2 AND NOT p.no_docs),
   (p.entity, 'onboarding_completed', p.t_comp, 'onboarding', p.depth >= 3),
   (p.entity, 'ready_for_service',    p.t_ready, 'provisioning', p.depth >= 4),
   (p.entity, 'contract_signed',      p.t_sign, 'billing',    p.depth >= 5)) v(entity, milestone, at, source, keep)
 WHERE v.keep AND v.at < p.anchor;

-- churn and return
INSERT INTO bench_lc.gen
SELECT p.entity, 'contract_ended', p.t_sign + p.tenure, 'billing', NULL
  FROM bench_lc.person p
 WHERE p.depth = 5 AND p.churns AND p.t_sign + p.tenure < p.anchor;
INSERT INTO bench_lc.gen
SELECT x.entity, 'contract_signed', x.start, 'billing', NULL
  FROM bench_lc.period x WHERE x.seq = 2;

-- the months of each period: an invoice per cycle (when paying), a login
-- with the person's probability, a purchase in 5% of months
INSERT INTO bench_lc.gen
SELECT v.entity, v.milestone, v.at, v.source, v.amount
  FROM (SELECT x.entity, x.pays, x.stop,
               x.start + x.cycle * (k + 1) + interval '1 day' * x.late_days * random() AS inv_at,
               round((20 + 480 * random())::numeric, 2) AS inv_amount,
               x.start + interval '1 month' * k + interval '30 days' * random() AS login_at,
               random() < x.p_login AS logs_in,
               x.start + interval '1 month' * k + interval '30 days' * random() AS buy_at,
               random() < 0.05 AS buys,
               round((5 + 200 * random())::numeric, 2) AS buy_amount,
               x.start + x.cycle * (k + 1) < x.stop AS invoice_due
          FROM bench_lc.period x
         CROSS JOIN LATERAL generate_series(0, (extract(epoch FROM x.stop - x.start) / (86400 * 28))::int) k
         WHERE x.start + interval '1 month' * k < x.stop) m
 CROSS JOIN LATERAL (VALUES
   (m.entity, 'invoice_paid', m.inv_at,   'billing', m.inv_amount, m.pays AND m.invoice_due),
   (m.entity, 'login',        m.login_at, 'web',     NULL,         m.logs_in AND m.login_at < m.stop),
   (m.entity, 'purchase',     m.buy_at,   'shop',    m.buy_amount, m.buys AND m.buy_at < m.stop)) v(entity, milestone, at, source, amount, keep)
 WHERE v.keep AND v.at < (SELECT anchor FROM bench_lc.param);

-- merges: 500j+7 into 500j+4; every 20th j also 500j+9 into 500j+7
CREATE TABLE bench_lc.merge_pair AS
SELECT row_number() OVER (ORDER BY j, step) AS seq, a, b
  FROM (SELECT j, 1 AS step, 500 * j + 4 AS a, 500 * j + 7 AS b
          FROM generate_series(0, (:entities - 10) / 500) j
        UNION ALL
        SELECT j, 2, 500 * j + 7, 500 * j + 9
          FROM generate_series(0, (:entities - 10) / 500) j WHERE j % 20 = 0) x;

ANALYZE bench_lc.gen;
ANALYZE bench_lc.person;

-- 1,000 late logins recorded one at a time (cdm.record_milestone), dated in
-- the 30 days before the anchor, on entities drawn at random
CREATE TABLE bench_lc.gen_single AS
SELECT s AS seq, 1 + floor(random() * :entities)::bigint AS entity, 'login'::text AS milestone,
       (SELECT anchor FROM bench_lc.param) - interval '30 days' * random() AS at, 'web'::text AS source
  FROM generate_series(1, 1000) s;

-- the entities is_active is asked about: 950 drawn at random and 50 ids
-- that were merged away (cdm.is_active follows them to their survivor)
CREATE TABLE bench_lc.sample AS
SELECT e FROM (SELECT DISTINCT 1 + floor(random() * :entities)::bigint AS e
                 FROM generate_series(1, 1200)) x
 WHERE e NOT IN (SELECT b FROM bench_lc.merge_pair)
 ORDER BY md5(e::text) LIMIT 950;
INSERT INTO bench_lc.sample
SELECT b FROM bench_lc.merge_pair ORDER BY md5(b::text) LIMIT 50;
