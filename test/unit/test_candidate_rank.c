/*
 * test_candidate_rank.c - the store's candidate ranking
 * (src/core/block/candidate_rank.c): worked cases, then random hits against
 * a brute-force reference, in several orders.
 */
#include "unit.h"

#include "candidate_rank.h"

#define MAXH 400

static size_t
rank(const CdmCandidateHit *in, size_t nh, size_t n, bool has_skip, int64_t skip, int64_t *out)
{
	CdmCandidateHit hits[MAXH];
	CdmCandidateScore work[MAXH];

	memcpy(hits, in, nh * sizeof(*in));
	return cdm_candidate_rank(hits, nh, n, has_skip, skip, work, out);
}

/* The header's rule, written out the slow way. */
static size_t
reference(const CdmCandidateHit *h, size_t nh, size_t n, bool has_skip, int64_t skip, int64_t *out)
{
	int64_t		recs[MAXH];
	double		score[MAXH];
	size_t		nr = 0;

	/* distinct records */
	for (size_t i = 0; i < nh; i++)
	{
		bool		seen = false;

		for (size_t j = 0; j < nr; j++)
			seen |= recs[j] == h[i].record;
		if (!seen)
			recs[nr++] = h[i].record;
	}
	for (size_t r = 0; r < nr; r++)
	{
		int64_t		last = 0;
		bool		any = false;

		score[r] = 0.0;
		/* this record's distinct values, smallest first */
		for (;;)
		{
			bool		found = false;
			int64_t		v = 0;
			size_t		holders = 0;

			for (size_t i = 0; i < nh; i++)
				if (h[i].record == recs[r] && (!any || h[i].value > last) && (!found || h[i].value < v))
				{
					v = h[i].value;
					found = true;
				}
			if (!found)
				break;
			/* distinct records holding v */
			for (size_t j = 0; j < nr; j++)
			{
				bool		holds = false;

				for (size_t i = 0; i < nh; i++)
					holds |= h[i].value == v && h[i].record == recs[j];
				holders += holds;
			}
			score[r] += 1.0 / (double) holders;
			last = v;
			any = true;
		}
	}
	/* selection: best first, ties to the larger id */
	{
		bool		used[MAXH] = {false};
		size_t		kept = 0;

		for (size_t round = 0; round < nr; round++)
		{
			size_t		best = nr;

			for (size_t j = 0; j < nr; j++)
				if (!used[j] && (best == nr || score[j] > score[best] ||
								 (score[j] == score[best] && recs[j] > recs[best])))
					best = j;
			used[best] = true;
			if (has_skip && recs[best] == skip)
				continue;
			if (kept < n)
				out[kept++] = recs[best];
		}
		return kept;
	}
}

int
main(void)
{
	int64_t		out[MAXH],
				want[MAXH];

	/* nothing read */
	CHECK_INT(cdm_candidate_rank(NULL, 0, 20, false, 0, NULL, out), 0, "no hits, no candidates");

	/*
	 * The case of the store_load suite: value 1 (a shop's inbox) read for
	 * records 10..14, value 2 (a rare phone) only for record 3.  The phone's
	 * holder scores 1, the inbox's 1/5 each: 3 first, then the newest four.
	 */
	{
		CdmCandidateHit h[] = {{1, 10}, {1, 11}, {1, 12}, {1, 13}, {1, 14}, {2, 3}};
		int64_t		expect[] = {3, 14, 13, 12, 11};
		size_t		k = rank(h, 6, 5, false, 0, out);

		CHECK_INT(k, 5, "the cap holds");
		for (size_t i = 0; i < 5; i++)
			CHECK_INT(out[i], expect[i], "rarest value first, then newest: position %zu", i);
	}

	/*
	 * Three values each shared by two records outweigh one rare value
	 * (3 x 1/2 > 1); a tie (8: 1/2 + 1/2 against 2: 1) goes to the newer.
	 */
	{
		CdmCandidateHit h[] = {{5, 7}, {5, 8}, {6, 7}, {6, 9}, {4, 7}, {4, 8}, {9, 2}};
		size_t		k = rank(h, 7, 10, false, 0, out);

		CHECK_INT(k, 4, "four distinct records");
		CHECK_INT(out[0], 7, "record 7: three half weights");
		CHECK_INT(out[1], 8, "record 8: two half weights, tied with record 2 and newer");
		CHECK_INT(out[2], 2, "record 2: one whole weight");
		CHECK_INT(out[3], 9, "record 9: one half weight");
	}

	/* a repeated pair counts once; the skipped record still weighs */
	{
		CdmCandidateHit h[] = {{1, 5}, {1, 5}, {1, 6}, {2, 6}, {2, 5}, {2, 5}};
		size_t		k = rank(h, 6, 20, true, 6, out);

		CHECK_INT(k, 1, "record 6 skipped");
		CHECK_INT(out[0], 5, "record 5 kept");
		k = rank(h, 6, 20, false, 0, out);
		CHECK_INT(k, 2, "duplicates collapsed: two records");
		CHECK_INT(out[0], 6, "equal scores (1/2 + 1/2): the newer first");
		CHECK_INT(out[1], 5, "then the older");
	}

	/* n = 0: none; negative and extreme ids sort as numbers */
	{
		CdmCandidateHit h[] = {{INT64_MIN, -3}, {INT64_MAX, INT64_MAX}, {0, INT64_MIN}};

		CHECK_INT(rank(h, 3, 0, false, 0, out), 0, "n = 0 keeps none");
		CHECK_INT(rank(h, 3, 3, false, 0, out), 3, "three records");
		CHECK_INT(out[0], INT64_MAX, "equal scores: largest id first");
		CHECK_INT(out[1], -3, "then -3");
		CHECK_INT(out[2], INT64_MIN, "then the smallest");
	}

	/* random hits against the reference, and the same hits shuffled */
	for (int t = 0; t < 3000; t++)
	{
		CdmCandidateHit h[MAXH];
		size_t		nh = unit_rand() % 120;
		size_t		nv = 1 + unit_rand() % 12;
		size_t		nrec = 1 + unit_rand() % 40;
		size_t		n = unit_rand() % 25;
		bool		has_skip = unit_rand() % 3 == 0;
		int64_t		skip = (int64_t) (unit_rand() % nrec) * 7 - 50;
		size_t		k,
					kw;

		for (size_t i = 0; i < nh; i++)
		{
			h[i].value = (int64_t) (unit_rand() % nv) * 1000003 - 4000000;
			h[i].record = (int64_t) (unit_rand() % nrec) * 7 - 50;
		}
		kw = reference(h, nh, n, has_skip, skip, want);
		k = rank(h, nh, n, has_skip, skip, out);
		CHECK_INT(k, kw, "random case %d: count", t);
		for (size_t i = 0; i < k && i < kw; i++)
			CHECK_INT(out[i], want[i], "random case %d: position %zu", t, i);
		/* shuffled: the same answer */
		for (size_t i = nh; i > 1; i--)
		{
			size_t		j = unit_rand() % i;
			CdmCandidateHit x = h[i - 1];

			h[i - 1] = h[j];
			h[j] = x;
		}
		k = rank(h, nh, n, has_skip, skip, out);
		CHECK_INT(k, kw, "random case %d shuffled: count", t);
		for (size_t i = 0; i < k && i < kw; i++)
			CHECK_INT(out[i], want[i], "random case %d shuffled: position %zu", t, i);
	}

	printf("candidate_rank: %d passed, %d failed\n", unit_passed, unit_failed);
	return unit_failed != 0;
}
