\set p random(1, :persons)
SELECT cdm_stress.retire(:p);
