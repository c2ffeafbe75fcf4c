\set p random(1, :persons)
\set r random(1, 10)
\set q case when :r <= 5 then :p when :r <= 9 then :p / 3 * 3 + :r % 3 else random(1, :persons) end
\set m random(1, 10)
SELECT cdm_stress.decide(:p, greatest(:q, 1), :m);
