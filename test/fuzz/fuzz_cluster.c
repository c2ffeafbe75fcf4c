/*
 * fuzz_cluster.c - cluster/: cdm_cluster, the guarded greedy union-find.
 *
 * Input: option byte (bits 0-5: records - 1; bit 6: no dobs; bit 7: no
 * ids), then 4 bytes per record (a dob class and a uid class: few
 * distinct values so that guards fire), then 4 bytes per edge (a, b, a
 * probability byte, a flag byte: record past the end, NaN, exact
 * threshold).
 *
 * Invariants:
 *   - an edge naming a record >= n gives -1 and leaves rep alone;
 *   - otherwise the result equals a naive simulation of the documented
 *     rule (edges by probability descending then (a, b); a merge refused
 *     when the two clusters hold different non-zero ids, two conflicting
 *     dobs, or more than CDM_CLUSTER_MAX_DOBS distinct dobs): the same
 *     clusters, merges and best values;
 *   - rep[i] is the smallest index of i's cluster; merges = n - clusters;
 *   - the result does not depend on the order of the edges or of a and b.
 */
#include "fuzz.h"

#include "cluster.h"
#include "match_record.h"

static int
edge_qsort_cmp(const void *x, const void *y)
{
	return cdm_cluster_edge_cmp(x, y);
}

/* The documented rule, with plain label arrays (O(n) per merge). */
static int64_t
naive_cluster(size_t n, const CdmClusterEdge *in, size_t ne, double threshold,
			  const int32_t *dob, const uint64_t *uid, uint32_t *rep, double *best)
{
	CdmClusterEdge *e = malloc((ne + 1) * sizeof(CdmClusterEdge));
	uint32_t   *label = malloc((n + 1) * sizeof(uint32_t));
	int64_t		merges = 0;

	for (size_t i = 0; i < ne; i++)
	{
		e[i] = in[i];
		if (e[i].a > e[i].b)
		{
			uint32_t	t = e[i].a;

			e[i].a = e[i].b;
			e[i].b = t;
		}
	}
	qsort(e, ne, sizeof(CdmClusterEdge), edge_qsort_cmp);
	for (size_t i = 0; i < n; i++)
	{
		label[i] = (uint32_t) i;
		best[i] = 0;
	}
	for (size_t k = 0; k < ne; k++)
	{
		uint32_t	x,
					y;
		bool		ok = true;
		int32_t		dobs[64];
		int			nd = 0;
		uint64_t	id = 0;

		if (!(e[k].p >= threshold))
			break;
		if (e[k].a == e[k].b)
			continue;
		x = label[e[k].a];
		y = label[e[k].b];
		if (x != y)
		{
			for (size_t i = 0; i < n && ok; i++)
			{
				if (label[i] != x && label[i] != y)
					continue;
				if (uid && uid[i] != 0)
				{
					if (id != 0 && id != uid[i])
						ok = false;
					id = uid[i];
				}
				if (dob && cdm_match_dob_level(dob[i], dob[i]) != 0)
				{
					bool		seen = false;

					for (int j = 0; j < nd; j++)
						seen |= dobs[j] == dob[i];
					if (!seen && nd < 64)
						dobs[nd++] = dob[i];
				}
			}
			if (nd > CDM_CLUSTER_MAX_DOBS)
				ok = false;
			/* a conflict across the two clusters (never within one) */
			for (size_t i = 0; i < n && ok && dob; i++)
				for (size_t j = 0; j < n && ok; j++)
					if (label[i] == x && label[j] == y &&
						cdm_match_dob_level(dob[i], dob[i]) != 0 &&
						cdm_match_dob_level(dob[j], dob[j]) != 0 &&
						dob[i] != dob[j] && cdm_match_dob_conflict(dob[i], dob[j]))
						ok = false;
			if (!ok)
				continue;
			for (size_t i = 0; i < n; i++)
				if (label[i] == y)
					label[i] = x;
			merges++;
		}
		best[e[k].a] = fmax(best[e[k].a], e[k].p);
		best[e[k].b] = fmax(best[e[k].b], e[k].p);
	}
	for (size_t i = 0; i < n; i++)
	{
		rep[i] = (uint32_t) i;
		for (size_t j = 0; j < i; j++)
			if (label[j] == label[i])
			{
				rep[i] = (uint32_t) j;
				break;
			}
	}
	free(label);
	free(e);
	return merges;
}

static int64_t
run(size_t n, const CdmClusterEdge *in, size_t ne, double threshold, const int32_t *dob,
	const uint64_t *uid, uint32_t *rep, double *best, bool reverse)
{
	CdmClusterEdge *e = malloc((ne + 1) * sizeof(CdmClusterEdge));
	void	   *work = fuzz_work(cdm_cluster_workspace(n), false);
	int64_t		r;

	for (size_t i = 0; i < ne; i++)
	{
		e[i] = in[reverse ? ne - 1 - i : i];
		if (reverse)
		{
			uint32_t	t = e[i].a;

			e[i].a = e[i].b;
			e[i].b = t;
		}
	}
	r = cdm_cluster(n, e, ne, threshold, dob, uid, rep, best, work);
	if (r >= 0)
		for (size_t i = 1; i < ne; i++)
			FUZZ_CHECK(cdm_cluster_edge_cmp(&e[i - 1], &e[i]) <= 0, "edges not sorted at %zu", i);
	free(work);
	free(e);
	return r;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int32_t dobs[8] = {0, 19800131, 19801301, 19810131, 19500131, 19800131, 99999999, -5};
	static const double ps[4] = {0.5, 0.9, 0.99, 1.0};
	size_t		n,
				ne;
	const uint8_t *p;
	int32_t    *dob;
	uint64_t   *uid;
	CdmClusterEdge *edges;
	uint32_t   *rep,
			   *rep2,
			   *nrep;
	double	   *best,
			   *best2,
			   *nbest;
	double		threshold = 0.5;
	bool		bad = false;
	int64_t		r,
				r2,
				nr;
	size_t		clusters = 0;

	if (size < 1)
		return 0;
	n = 1 + (data[0] & 63);
	if (size < 1 + 4 * n)
		return 0;
	p = data + 1;
	dob = malloc(n * sizeof(int32_t));
	uid = malloc(n * sizeof(uint64_t));
	for (size_t i = 0; i < n; i++, p += 4)
	{
		dob[i] = p[0] < 8 ? dobs[p[0]] : 19000101 + (p[0] % 40) * 10000 + (p[1] % 12) * 100;
		uid[i] = p[2] < 200 ? 0 : p[2] % 4;
		(void) p[3];
	}
	ne = (size - 1 - 4 * n) / 4;
	edges = malloc((ne + 1) * sizeof(CdmClusterEdge));
	for (size_t i = 0; i < ne; i++, p += 4)
	{
		edges[i].a = p[0] % n;
		edges[i].b = p[1] % n;
		edges[i].p = p[2] < 4 ? ps[p[2]] : p[2] / 255.0;
		if (p[3] == 0xFF)
		{
			edges[i].b = (uint32_t) n + p[1];	/* past the end */
			bad = true;
		}
		else if (p[3] == 0xFE)
			edges[i].p = NAN;
	}
	rep = malloc(n * sizeof(uint32_t));
	rep2 = malloc(n * sizeof(uint32_t));
	nrep = malloc(n * sizeof(uint32_t));
	best = malloc(n * sizeof(double));
	best2 = malloc(n * sizeof(double));
	nbest = malloc(n * sizeof(double));
	for (size_t i = 0; i < n; i++)
		rep[i] = 0xDEADBEEF;

	r = run(n, edges, ne, threshold, (data[0] & 64) ? NULL : dob,
			(data[0] & 128) ? NULL : uid, rep, best, false);
	if (bad)
	{
		FUZZ_CHECK(r == -1, "an edge past the end gave %lld", (long long) r);
		for (size_t i = 0; i < n; i++)
			FUZZ_CHECK(rep[i] == 0xDEADBEEF, "rep written after -1");
		goto done;
	}
	nr = naive_cluster(n, edges, ne, threshold, (data[0] & 64) ? NULL : dob,
					   (data[0] & 128) ? NULL : uid, nrep, nbest);
	FUZZ_CHECK(r == nr, "%lld merges, naive %lld", (long long) r, (long long) nr);
	for (size_t i = 0; i < n; i++)
	{
		FUZZ_CHECK(rep[i] == nrep[i], "rep[%zu] = %u, naive %u", i, rep[i], nrep[i]);
		FUZZ_CHECK(best[i] == nbest[i], "best[%zu] = %.17g, naive %.17g", i, best[i], nbest[i]);
		FUZZ_CHECK(rep[i] <= i && rep[rep[i]] == rep[i], "rep[%zu] = %u", i, rep[i]);
		clusters += rep[i] == i;
	}
	FUZZ_CHECK((size_t) r == n - clusters, "%lld merges, %zu clusters of %zu", (long long) r,
			   clusters, n);
	r2 = run(n, edges, ne, threshold, (data[0] & 64) ? NULL : dob,
			 (data[0] & 128) ? NULL : uid, rep2, best2, true);
	FUZZ_CHECK(r2 == r && memcmp(rep, rep2, n * sizeof(uint32_t)) == 0 &&
			   memcmp(best, best2, n * sizeof(double)) == 0, "edge order changes the result");
done:
	free(nbest);
	free(best2);
	free(best);
	free(nrep);
	free(rep2);
	free(rep);
	free(edges);
	free(uid);
	free(dob);
	return 0;
}
