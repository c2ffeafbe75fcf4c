/*
 * candidate_rank.c - the store's candidate ranking (see candidate_rank.h).
 */
#include "candidate_rank.h"

#include <stdlib.h>

static int
hit_cmp(const void *a, const void *b)
{
	const CdmCandidateHit *x = a;
	const CdmCandidateHit *y = b;

	if (x->value != y->value)
		return x->value < y->value ? -1 : 1;
	return (x->record > y->record) - (x->record < y->record);
}

static int
record_cmp(const void *a, const void *b)
{
	const CdmCandidateScore *x = a;
	const CdmCandidateScore *y = b;

	return (x->record > y->record) - (x->record < y->record);
}

/* Best first: the higher score, then the newer (larger) record. */
static int
rank_cmp(const void *a, const void *b)
{
	const CdmCandidateScore *x = a;
	const CdmCandidateScore *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return (x->record < y->record) - (x->record > y->record);
}

size_t
cdm_candidate_rank(CdmCandidateHit *hits, size_t nhits, size_t n,
				   bool has_skip, int64_t skip,
				   CdmCandidateScore *work, int64_t *out)
{
	size_t		m = 0;
	size_t		k = 0;
	size_t		kept = 0;

	if (nhits == 0)
		return 0;

	/* distinct (value, record) pairs, grouped by value in ascending order */
	qsort(hits, nhits, sizeof(*hits), hit_cmp);
	for (size_t i = 0; i < nhits; i++)
		if (m == 0 || hit_cmp(&hits[m - 1], &hits[i]) != 0)
			hits[m++] = hits[i];

	/* the distinct records, sorted by id, each at score 0 */
	for (size_t i = 0; i < m; i++)
	{
		work[i].record = hits[i].record;
		work[i].score = 0.0;
	}
	qsort(work, m, sizeof(*work), record_cmp);
	for (size_t i = 0; i < m; i++)
		if (k == 0 || work[k - 1].record != work[i].record)
			work[k++] = work[i];

	/*
	 * Value by value, in ascending order, so that each record's weights are
	 * added in the same order whatever the order of the hits.
	 */
	for (size_t s = 0; s < m;)
	{
		size_t		e = s;
		double		w;

		while (e < m && hits[e].value == hits[s].value)
			e++;
		w = 1.0 / (double) (e - s);
		for (size_t i = s; i < e; i++)
		{
			CdmCandidateScore key = {.record = hits[i].record};
			CdmCandidateScore *r = bsearch(&key, work, k, sizeof(*work), record_cmp);

			r->score += w;		/* always found: work holds every record of hits */
		}
		s = e;
	}

	qsort(work, k, sizeof(*work), rank_cmp);
	for (size_t i = 0; i < k && kept < n; i++)
		if (!(has_skip && work[i].record == skip))
			out[kept++] = work[i].record;
	return kept;
}
