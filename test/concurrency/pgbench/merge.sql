\set p random(1, :persons)
\set r random(1, 10)
\set q case when :r <= 6 then :p when :r <= 9 then :p / 3 * 3 + :r % 3 else random(1, :persons) end
SELECT cdm_stress.merge(:p, greatest(:q, 1));
