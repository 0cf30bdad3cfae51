-- Experiment for the proposal in bench/analysis.md: facet counts from tag arrays stored
-- on the practice row instead of joins of the six many-to-many tables.
--
--   psql postgres://postgres@127.0.0.1:5432/micic_bench -f bench/proposal_arrays.sql
--
-- Works on a copy (schema bench_proposal) of repository_practice with every column plus
-- one array per facet, so the application's tables are untouched. Counts are those of
-- /practices/?q=evacuation&phase=emergency&stakeholder=states (disjunctive: each facet
-- without its own filter), and the total shown by the page. Drop with
--   DROP SCHEMA bench_proposal CASCADE;

\timing on
DROP SCHEMA IF EXISTS bench_proposal CASCADE;
CREATE SCHEMA bench_proposal;

-- stakeholders: each tag and its parent, so that "states" matches host States and the
-- parent's count is the distinct number of practices tagged with it or a child.
CREATE TABLE bench_proposal.practice AS
SELECT p.*,
  ARRAY(SELECT l.phase_id FROM repository_practice_phases l WHERE l.practice_id = p.id) AS phase_ids,
  ARRAY(SELECT DISTINCT x FROM repository_practice_stakeholders l
        JOIN repository_stakeholder s ON s.id = l.stakeholder_id,
        LATERAL unnest(ARRAY[s.id, s.parent_id]) x
        WHERE l.practice_id = p.id AND x IS NOT NULL) AS stakeholder_ids,
  ARRAY(SELECT l.crisistype_id FROM repository_practice_crisis_types l WHERE l.practice_id = p.id) AS crisis_type_ids,
  ARRAY(SELECT l.guideline_id FROM repository_practice_guidelines l WHERE l.practice_id = p.id) AS guideline_ids,
  ARRAY(SELECT l.principle_id FROM repository_practice_principles l WHERE l.practice_id = p.id) AS principle_ids,
  ARRAY(SELECT l.country_id FROM repository_practice_countries l WHERE l.practice_id = p.id)::text[] AS country_codes,
  ARRAY(SELECT DISTINCT c.region_id FROM repository_practice_countries l
        JOIN repository_country c ON c.code = l.country_id WHERE l.practice_id = p.id) AS region_ids
FROM repository_practice p;
ALTER TABLE bench_proposal.practice ADD PRIMARY KEY (id);
CREATE INDEX ON bench_proposal.practice USING gin (search_vector);
CREATE INDEX ON bench_proposal.practice USING gin (phase_ids);
CREATE INDEX ON bench_proposal.practice USING gin (stakeholder_ids);
VACUUM ANALYZE bench_proposal.practice;

\set phase '(SELECT array_agg(id) FROM guidelines_phase WHERE slug = ''emergency'')'
\set states '(SELECT array_agg(id) FROM repository_stakeholder WHERE slug = ''states'')'

-- The whole facet sidebar and the result count in one statement.
\echo 'facets + count, arrays on the row (run three times: the last two are warm)'
PREPARE facets AS
WITH m AS MATERIALIZED (
  SELECT p.id, p.year, p.phase_ids, p.stakeholder_ids, p.crisis_type_ids, p.guideline_ids,
         p.principle_ids, p.country_codes, p.region_ids,
         p.phase_ids && :phase AS f_phase,
         p.stakeholder_ids && :states AS f_stakeholder
  FROM bench_proposal.practice p
  WHERE p.status = 'approved'
    AND p.search_vector @@ websearch_to_tsquery('english', 'evacuation')
)
SELECT 'total', NULL, count(*) FROM m WHERE f_phase AND f_stakeholder
UNION ALL SELECT 'phase', x::text, count(*) FROM m, unnest(phase_ids) x WHERE f_stakeholder GROUP BY x
UNION ALL SELECT 'stakeholder', x::text, count(*) FROM m, unnest(stakeholder_ids) x WHERE f_phase GROUP BY x
UNION ALL SELECT 'crisis_type', x::text, count(*) FROM m, unnest(crisis_type_ids) x WHERE f_phase AND f_stakeholder GROUP BY x
UNION ALL SELECT 'guideline', x::text, count(*) FROM m, unnest(guideline_ids) x WHERE f_phase AND f_stakeholder GROUP BY x
UNION ALL SELECT 'principle', x::text, count(*) FROM m, unnest(principle_ids) x WHERE f_phase AND f_stakeholder GROUP BY x
UNION ALL SELECT 'country', x, count(*) FROM m, unnest(country_codes) x WHERE f_phase AND f_stakeholder GROUP BY x
UNION ALL SELECT 'region', x::text, count(*) FROM m, unnest(region_ids) x WHERE f_phase AND f_stakeholder GROUP BY x
UNION ALL SELECT 'year', year::text, count(*) FROM m WHERE year IS NOT NULL AND f_phase AND f_stakeholder GROUP BY year;
EXECUTE facets;
EXECUTE facets;
EXECUTE facets;
EXPLAIN (ANALYZE, BUFFERS) EXECUTE facets;

\echo 'the same counts from the current schema (joins), for comparison'
SELECT 'phase', l.phase_id::text, count(*) FROM repository_practice_phases l
WHERE l.practice_id IN (
  SELECT id FROM repository_practice WHERE status = 'approved'
    AND search_vector @@ websearch_to_tsquery('english', 'evacuation')
    AND id IN (SELECT practice_id FROM repository_practice_stakeholders
               WHERE stakeholder_id IN (SELECT id FROM repository_stakeholder
                                        WHERE slug = 'states' OR parent_id = ANY(:states))))
GROUP BY l.phase_id ORDER BY 2;
EXECUTE facets;
