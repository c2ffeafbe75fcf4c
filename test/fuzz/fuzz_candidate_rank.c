/*
 * fuzz_candidate_rank.c - block/: the store's candidate ranking
 * (cdm_candidate_rank).
 *
 * Input: option byte (n: low 5 bits; skip: bit 5 on, record in the top two
 * bits), then hits of 3 bytes: value (1 byte, few distinct), record (2 bytes;
 * the top bit of the second spreads it to a large or negative id).
 *
 * Invariants:
 *   - the count is min(n, distinct records, less the skipped one if read);
 *   - the ids written are distinct, records of the hits, never the skipped;
 *   - they are in rank order: each one's score (recomputed the slow way, in
 *     the same value order) >= the next's, a tie to the larger id;
 *   - no record left out outranks the last one kept;
 *   - the same hits in reverse order give the same answer;
 *   - work is written only within nhits items (exact-size buffers).
 */
#include "fuzz.h"

#include "candidate_rank.h"

static int64_t
record_of(const uint8_t *p)
{
	int64_t		r = (int64_t) (p[1] | (p[2] & 0x7F) << 8);

	return p[2] & 0x80 ? r * INT64_C(1000000007) - INT64_C(4000000000000) : r;
}

/* The score of record r: its distinct values in ascending order, each 1 / holders. */
static double
score_of(const CdmCandidateHit *h, size_t nh, int64_t r)
{
	double		s = 0.0;
	bool		any = false;
	int64_t		last = 0;

	for (;;)
	{
		bool		found = false;
		int64_t		v = 0;
		size_t		holders = 0;

		for (size_t i = 0; i < nh; i++)
			if (h[i].record == r && (!any || h[i].value > last) && (!found || h[i].value < v))
			{
				v = h[i].value;
				found = true;
			}
		if (!found)
			return s;
		/* distinct holders of v */
		for (size_t i = 0; i < nh; i++)
		{
			bool		first = h[i].value == v;

			for (size_t j = 0; j < i && first; j++)
				first = !(h[j].value == v && h[j].record == h[i].record);
			holders += first;
		}
		s += 1.0 / (double) holders;
		last = v;
		any = true;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t		nh = size > 0 ? (size - 1) / 3 : 0;
	size_t		n = size > 0 ? (data[0] & 31) : 20;
	bool		has_skip = size > 0 && (data[0] & 32);
	CdmCandidateHit *orig,
			   *hits,
			   *rev;
	CdmCandidateScore *work;
	int64_t    *out,
			   *out2,
				skip = 0;
	size_t		k,
				k2,
				distinct = 0;
	bool		skip_read = false;

	if (nh > 2000)
		nh = 2000;				/* the reference is cubic */
	orig = malloc((nh + 1) * sizeof(*orig));
	hits = malloc((nh + 1) * sizeof(*hits));
	rev = malloc((nh + 1) * sizeof(*rev));
	work = malloc((nh + 1) * sizeof(*work));
	out = malloc((nh + 1) * sizeof(*out));
	out2 = malloc((nh + 1) * sizeof(*out2));
	for (size_t i = 0; i < nh; i++)
	{
		const uint8_t *p = data + 1 + 3 * i;

		orig[i].value = ((int64_t) (p[0] & 15) - 8) * INT64_C(1000000000000000003) + (p[0] >> 4);
		orig[i].record = record_of(p);
	}
	if (has_skip && nh > 0)
		skip = orig[(data[0] >> 6) % nh].record;
	for (size_t i = 0; i < nh; i++)
	{
		bool		first = true;

		for (size_t j = 0; j < i && first; j++)
			first = orig[j].record != orig[i].record;
		distinct += first;
		skip_read |= has_skip && orig[i].record == skip;
	}

	memcpy(hits, orig, nh * sizeof(*hits));
	k = cdm_candidate_rank(hits, nh, n, has_skip, skip, work, out);
	{
		size_t		want = distinct - (skip_read ? 1 : 0);

		if (want > n)
			want = n;
		FUZZ_CHECK(k == want, "count %zu, want %zu (n %zu, distinct %zu)", k, want, n, distinct);
	}
	for (size_t i = 0; i < k; i++)
	{
		bool		held = false;

		FUZZ_CHECK(!(has_skip && out[i] == skip), "the skipped record %lld written", (long long) skip);
		for (size_t j = 0; j < nh; j++)
			held |= orig[j].record == out[i];
		FUZZ_CHECK(held, "record %lld was not read", (long long) out[i]);
		for (size_t j = 0; j < i; j++)
			FUZZ_CHECK(out[j] != out[i], "record %lld written twice", (long long) out[i]);
		if (i > 0)
		{
			double		a = score_of(orig, nh, out[i - 1]),
						b = score_of(orig, nh, out[i]);

			FUZZ_CHECK(a > b || (a == b && out[i - 1] > out[i]),
					   "out of order at %zu: %.17g (%lld) then %.17g (%lld)", i,
					   a, (long long) out[i - 1], b, (long long) out[i]);
		}
	}
	/* nothing left out outranks the last kept */
	if (k > 0 && k == n)
	{
		double		last = score_of(orig, nh, out[k - 1]);

		for (size_t j = 0; j < nh; j++)
		{
			int64_t		r = orig[j].record;
			bool		kept = false;
			double		s;

			for (size_t i = 0; i < k; i++)
				kept |= out[i] == r;
			if (kept || (has_skip && r == skip))
				continue;
			s = score_of(orig, nh, r);
			FUZZ_CHECK(s < last || (s == last && r < out[k - 1]),
					   "record %lld (%.17g) left out before %lld (%.17g)",
					   (long long) r, s, (long long) out[k - 1], last);
		}
	}
	/* the order of the hits does not matter */
	for (size_t i = 0; i < nh; i++)
		rev[i] = orig[nh - 1 - i];
	k2 = cdm_candidate_rank(rev, nh, n, has_skip, skip, work, out2);
	FUZZ_CHECK(k2 == k, "reversed: %zu ids, %zu before", k2, k);
	for (size_t i = 0; i < k; i++)
		FUZZ_CHECK(out2[i] == out[i], "reversed: position %zu differs", i);

	free(orig);
	free(hits);
	free(rev);
	free(work);
	free(out);
	free(out2);
	return 0;
}
