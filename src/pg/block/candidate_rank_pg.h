/*
 * candidate_rank_pg.h - the argument checks and the result of the SQL
 * functions that rank the store's candidates (cdm._store_rank_candidates,
 * cdm._store_candidate_ids).
 */
#ifndef CDM_CANDIDATE_RANK_PG_H
#define CDM_CANDIDATE_RANK_PG_H

#include "postgres.h"

#include "fmgr.h"
#include "utils/array.h"

#include "candidate_rank.h"

/*
 * The cap n, argument argno of function fname: SIZE_MAX when NULL (as LIMIT
 * NULL); ERROR 2201W with a hint when negative.
 */
extern size_t cdm_candidate_cap(FunctionCallInfo fcinfo, int argno, const char *fname);

/*
 * hits ranked by cdm_candidate_rank, at most cap, as a bigint[]; the record
 * to leave out is argument skip_argno (NULL: none).  hits is reordered.
 */
extern ArrayType *cdm_candidate_ranked(FunctionCallInfo fcinfo, CdmCandidateHit *hits,
									   size_t nhits, size_t cap, int skip_argno);

#endif							/* CDM_CANDIDATE_RANK_PG_H */
