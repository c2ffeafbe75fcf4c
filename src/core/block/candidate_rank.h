/*
 * candidate_rank.h - which of the records read for a new record's blocking
 * values are scored, and in what order.
 *
 * The store reads, for each blocking value of the new record, the newest few
 * records holding it (its "hits").  A value few records hold says more than
 * one read to the cap: an e-mail only one other record has outweighs a
 * family name shared by dozens.  So each distinct value weighs 1 / the
 * distinct records read for it, a record scores the sum of the weights of
 * the values it was read for, and the best n are kept, ties to the newer
 * (larger) record id.
 *
 * The weights of one record are added in ascending value order, so the
 * result does not depend on the order of the hits.
 */
#ifndef CDM_CANDIDATE_RANK_H
#define CDM_CANDIDATE_RANK_H

#include "cdm_core.h"

typedef struct CdmCandidateHit
{
	int64_t		value;			/* the blocking value (a 64-bit hash) */
	int64_t		record;			/* a record holding it */
} CdmCandidateHit;

typedef struct CdmCandidateScore
{
	int64_t		record;
	double		score;			/* the sum of its values' weights */
} CdmCandidateScore;

/*
 * Rank hits (any order; a repeated (value, record) pair counts once) and
 * write at most n record ids to out, best first.  When has_skip, record skip
 * is counted in the weights (it was read) but not written (the record
 * itself, on a re-ingest).  hits is reordered in place; work must hold
 * nhits items (and holds each distinct record's score afterwards, best
 * first).  Returns the number of ids written.
 */
extern size_t cdm_candidate_rank(CdmCandidateHit *hits, size_t nhits, size_t n,
								 bool has_skip, int64_t skip,
								 CdmCandidateScore *work, int64_t *out);

#endif							/* CDM_CANDIDATE_RANK_H */
