/**
 * The recipient sets of one campaign as CTEs ($1 workspace, $2 campaign), so counts, pages and exclusions are
 * each one statement computed in Postgres. Suppression applies before DNC, DNC before consent: a suppressed person
 * counts as suppressed only, a DNC person not suppressed counts as DNC, and the rest whose consent for the campaign's
 * channel is withdrawn (person_consent) count as consent.
 */
export const RECIPIENT_CTES = `
  audience AS (
    SELECT m.person_id FROM campaign_audience a
      JOIN crm_list_member m ON m.list_id = a.list_id AND m.workspace_id = a.workspace_id
     WHERE a.workspace_id = $1 AND a.campaign_id = $2 AND a.kind = 'crm_list'
    UNION
    SELECT a.person_id FROM campaign_audience a
     WHERE a.workspace_id = $1 AND a.campaign_id = $2 AND a.kind = 'people'
  ),
  suppressed AS (
    SELECT DISTINCT m.person_id FROM campaign_suppression s
      JOIN crm_list_member m ON m.list_id = s.list_id AND m.workspace_id = s.workspace_id
     WHERE s.workspace_id = $1 AND (s.campaign_id = $2 OR s.campaign_id IS NULL)
  ),
  dnc AS (
    SELECT DISTINCT r.person_id FROM person_dnc_reason r
     WHERE r.workspace_id = $1 AND r.person_id IN (SELECT person_id FROM audience)
  ),
  consent AS (
    SELECT DISTINCT c.person_id FROM person_consent c
      JOIN campaign k ON k.id = $2 AND k.workspace_id = $1 AND k.channel = c.channel
     WHERE c.workspace_id = $1 AND c.person_id IN (SELECT person_id FROM audience)
  ),
  final AS (
    SELECT a.person_id FROM audience a
     WHERE NOT EXISTS (SELECT 1 FROM suppressed s WHERE s.person_id = a.person_id)
       AND NOT EXISTS (SELECT 1 FROM dnc d WHERE d.person_id = a.person_id)
       AND NOT EXISTS (SELECT 1 FROM consent c WHERE c.person_id = a.person_id)
  )`;

export const COUNTS_SQL = `
  WITH ${RECIPIENT_CTES}
  SELECT (SELECT count(*) FROM audience)::int AS audience,
         (SELECT count(*) FROM audience a WHERE EXISTS (SELECT 1 FROM suppressed s WHERE s.person_id = a.person_id))::int AS suppressed,
         (SELECT count(*) FROM audience a WHERE NOT EXISTS (SELECT 1 FROM suppressed s WHERE s.person_id = a.person_id)
                                            AND EXISTS (SELECT 1 FROM dnc d WHERE d.person_id = a.person_id))::int AS dnc,
         (SELECT count(*) FROM audience a WHERE NOT EXISTS (SELECT 1 FROM suppressed s WHERE s.person_id = a.person_id)
                                            AND NOT EXISTS (SELECT 1 FROM dnc d WHERE d.person_id = a.person_id)
                                            AND EXISTS (SELECT 1 FROM consent c WHERE c.person_id = a.person_id))::int AS consent,
         (SELECT count(*) FROM final)::int AS final`;

/** $3 limit, $4 offset. */
export const RECIPIENTS_PAGE_SQL = `
  WITH ${RECIPIENT_CTES}
  SELECT p.id AS person_id, p.first_name, p.last_name, p.email, p.company_name, count(*) OVER ()::int AS total
    FROM final f JOIN person p ON p.id = f.person_id AND p.workspace_id = $1
   ORDER BY lower(p.email) NULLS LAST, p.id
   LIMIT $3 OFFSET $4`;

/** Each excluded audience person with every reason ($3 limit, $4 offset). */
export const EXCLUDED_PAGE_SQL = `
  WITH ${RECIPIENT_CTES},
  reasons AS (
    SELECT m.person_id, 'suppressed'::text AS reason, l.name AS detail
      FROM campaign_suppression s
      JOIN crm_list l ON l.id = s.list_id AND l.workspace_id = s.workspace_id
      JOIN crm_list_member m ON m.list_id = s.list_id AND m.workspace_id = s.workspace_id
     WHERE s.workspace_id = $1 AND (s.campaign_id = $2 OR s.campaign_id IS NULL)
       AND m.person_id IN (SELECT person_id FROM audience)
    UNION ALL
    SELECT r.person_id, 'dnc_' || r.reason, r.detail FROM person_dnc_reason r
     WHERE r.workspace_id = $1 AND r.person_id IN (SELECT person_id FROM audience)
  ),
  consent_reasons AS (
    SELECT c.person_id, c.kind AS reason, c.reason AS detail, c.crm, min(c.occurred_at) AS at
      FROM person_consent c JOIN campaign k ON k.id = $2 AND k.workspace_id = $1 AND k.channel = c.channel
     WHERE c.workspace_id = $1 AND c.person_id IN (SELECT person_id FROM audience)
     GROUP BY c.person_id, c.kind, c.reason, c.crm
  ),
  excluded AS (
    SELECT person_id, jsonb_agg(reason ORDER BY reason ->> 'reason', reason ->> 'at') AS reasons FROM (
      SELECT DISTINCT person_id, jsonb_build_object('reason', reason, 'detail', detail) AS reason FROM reasons
      UNION ALL
      SELECT person_id, jsonb_build_object('reason', reason, 'detail', detail, 'crm', crm, 'at', to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) FROM consent_reasons
    ) r GROUP BY person_id
  )
  SELECT p.id AS person_id, p.first_name, p.last_name, p.email, p.company_name, e.reasons, count(*) OVER ()::int AS total
    FROM excluded e JOIN person p ON p.id = e.person_id AND p.workspace_id = $1
   ORDER BY lower(p.email) NULLS LAST, p.id
   LIMIT $3 OFFSET $4`;
