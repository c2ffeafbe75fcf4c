\set p random(1, :persons)
\set v random(0, 5)
\set s random(1, 4)
SELECT cdm_stress.ingest(:p, :v, :s);
