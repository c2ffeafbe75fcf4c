-- ---------------------------------------------------------------------------
-- Lifecycle, part 5: segmentation.  Recency, frequency and monetary value
-- from dated activity milestones with amounts, scored by quantiles, named
-- by the usual RFM segment grid, per scope -- as rows a marketing tool reads.
-- ---------------------------------------------------------------------------

CREATE FUNCTION cdm.rfm(as_of timestamptz DEFAULT now(), period interval DEFAULT '1 year',
                        milestones text[] DEFAULT ARRAY['purchase', 'invoice_paid'],
                        scope text DEFAULT NULL, buckets integer DEFAULT 5)
RETURNS TABLE (entity bigint, last_at timestamptz, recency_days float8, frequency bigint,
               monetary numeric, r integer, f integer, m integer, rfm text, segment text)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  ids integer[];
  sid integer;
BEGIN
  IF as_of IS NULL OR period IS NULL OR milestones IS NULL OR buckets IS NULL THEN
    RETURN;
  END IF;
  IF buckets < 2 OR buckets > 100 THEN
    RAISE EXCEPTION 'cdm.rfm: buckets must be between 2 and 100, not %', buckets
      USING ERRCODE = '22023', HINT = 'Five buckets (quintiles) is the usual choice; segments are named for any number.';
  END IF;
  IF period <= interval '0' THEN
    RAISE EXCEPTION 'cdm.rfm: period must be positive, not %', period
      USING ERRCODE = '22023', HINT = 'E.g. ''1 year'': milestones in (as_of - period, as_of] count.';
  END IF;
  ids := ARRAY(SELECT cdm._milestone_id('cdm.rfm', x) FROM unnest(milestones) x);
  IF cardinality(ids) = 0 THEN
    RAISE EXCEPTION 'cdm.rfm: no milestones given' USING ERRCODE = '22023',
      HINT = 'Name the milestones that are purchases, e.g. ARRAY[''purchase'', ''invoice_paid''].';
  END IF;
  sid := cdm._scope_lookup(rfm.scope);
  RETURN QUERY
  WITH ev AS (
    SELECT x.live AS entity, x.at, x.amount
      FROM cdm._milestone_live x
     WHERE x.milestone = ANY (ids) AND x.at > as_of - period AND x.at <= as_of
       AND (sid = 0 OR x.scope IS NULL OR x.scope = sid)
  ), agg AS (
    SELECT ev.entity, max(ev.at) AS last_at, count(*) AS freq, coalesce(sum(ev.amount), 0) AS money
      FROM ev GROUP BY ev.entity
  ), scored AS (
    -- quantile scores: the share of customers at or below, in buckets;
    -- equal values get equal scores
    SELECT agg.*,
           ceil(cume_dist() OVER (ORDER BY agg.last_at) * buckets)::integer AS rs,
           ceil(cume_dist() OVER (ORDER BY agg.freq) * buckets)::integer AS fs,
           ceil(cume_dist() OVER (ORDER BY agg.money) * buckets)::integer AS ms
      FROM agg
  ), graded AS (
    -- the segment grid is written for quintiles: other bucket counts are
    -- mapped onto 1..5 first
    SELECT s.*, ceil(s.rs * 5.0 / buckets)::integer AS r5, ceil(s.fs * 5.0 / buckets)::integer AS f5,
           ceil(s.ms * 5.0 / buckets)::integer AS m5
      FROM scored s
  )
  SELECT g.entity, g.last_at, extract(epoch FROM as_of - g.last_at)::float8 / 86400,
         g.freq, g.money, g.rs, g.fs, g.ms, g.rs || '-' || g.fs || '-' || g.ms,
         CASE WHEN g.r5 >= 4 AND g.f5 >= 4 AND g.m5 >= 4 THEN 'champions'
              WHEN g.r5 >= 3 AND g.f5 >= 4 THEN 'loyal'
              WHEN g.r5 >= 4 AND g.f5 = 1 THEN 'new'
              WHEN g.r5 >= 4 THEN 'potential_loyalist'
              WHEN g.r5 = 3 AND g.f5 <= 2 THEN 'promising'
              WHEN g.r5 = 3 THEN 'needs_attention'
              WHEN g.r5 = 1 AND g.f5 = 1 THEN 'lost'
              WHEN g.f5 >= 3 THEN 'at_risk'
              ELSE 'hibernating' END
    FROM graded g
   ORDER BY g.entity;
END
$$;
COMMENT ON FUNCTION cdm.rfm(timestamptz, interval, text[], text, integer) IS
'Recency, frequency, monetary value per customer (live entity, as currently resolved) from the milestones named (default purchase and invoice_paid) dated in (as_of - period, as_of] (default: the year up to now), in a scope (its milestones and unscoped ones; NULL: all): last_at, recency_days, frequency (count), monetary (sum of amounts, NULL amounts as 0); scores r, f, m from 1 to buckets (default 5) by quantile (ceil(cume_dist * buckets): equal values score alike, higher is better: more recent, more often, more money), rfm as ''r-f-m'', and a segment by the common RFM grid (on quintiles): champions (r, f, m >= 4), loyal (r >= 3, f >= 4), new (r >= 4, f = 1), potential_loyalist (r >= 4), promising (r = 3, f <= 2), needs_attention (r = 3), lost (r = 1, f = 1), at_risk (f >= 3), hibernating. Customers without such a milestone in the period are not listed. Undeclared milestone, buckets outside 2..100, period <= 0: 22023.';

CREATE VIEW cdm.rfm_segments AS
SELECT x.entity, sc.name AS scope, x.last_at, x.recency_days, x.frequency, x.monetary, x.r, x.f, x.m, x.rfm, x.segment
  FROM (SELECT NULL::text AS name UNION ALL SELECT s.name FROM cdm.lifecycle_scope s) sc
 CROSS JOIN LATERAL cdm.rfm(now(), interval '1 year', ARRAY['purchase', 'invoice_paid'], sc.name, 5) x;
COMMENT ON VIEW cdm.rfm_segments IS
'cdm.rfm now with the defaults (purchases and paid invoices of the last year, quintiles), over all milestones (scope NULL) and per registered scope: one row per customer and scope with recency, frequency, monetary value, scores and segment.';

CREATE VIEW cdm.rfm_segment_summary AS
SELECT s.scope, s.segment, count(*) AS customers,
       round(count(*)::numeric / sum(count(*)) OVER (PARTITION BY s.scope), 4)::float8 AS share,
       avg(s.recency_days) AS avg_recency_days, avg(s.frequency)::float8 AS avg_frequency,
       sum(s.monetary) AS monetary, avg(s.monetary) AS avg_monetary
  FROM cdm.rfm_segments s
 GROUP BY s.scope, s.segment;
COMMENT ON VIEW cdm.rfm_segment_summary IS
'Per scope (NULL: all) and RFM segment: customers, their share, average recency (days), frequency, total and average monetary value. Chart: SELECT segment, customers FROM cdm.rfm_segment_summary WHERE scope IS NULL.';
