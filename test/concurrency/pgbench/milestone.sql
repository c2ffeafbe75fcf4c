\set p random(1, :persons)
\set m random(0, 29)
\set d random(0, 8760)
SELECT cdm_stress.milestone(:p, :m, :d);
