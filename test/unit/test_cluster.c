/*
 * test_cluster.c - guarded clustering (cluster.h): the father-and-son
 * chain, twins, unique ids, the dob-set bound, determinism under shuffled
 * edges, and a large random run against a brute-force reference that
 * checks every pair of members at every merge.
 */
#include "unit.h"

#include "cluster.h"
#include "match_record.h"

#include <math.h>
#include <time.h>

static int64_t
run(size_t n, CdmClusterEdge *e, size_t ne, double threshold, const int32_t *dob,
	const uint64_t *uid, uint32_t *rep, double *best)
{
	void	   *work = malloc(cdm_cluster_workspace(n) + 1);
	int64_t		r = cdm_cluster(n, e, ne, threshold, dob, uid, rep, best, work);

	free(work);
	return r;
}

static void
father_and_son(void)
{
	/* 0 father (1952), 1 son (1983), 2 a record with no dob linking both */
	int32_t		dob[4] = {19520612, 19830612, 0, 19520612};
	CdmClusterEdge e[4] = {
		{2, 0, 0.95},			/* strong: the third record is the father */
		{1, 2, 0.80},			/* weak chain to the son */
		{0, 1, 0.70},			/* the direct link: same name, same address */
		{3, 0, 0.99},			/* a second father record */
	};
	uint32_t	rep[4];
	double		best[4];
	int64_t		merges = run(4, e, 4, 0.5, dob, NULL, rep, best);

	CHECK_INT(merges, 2, "father + third + second father");
	CHECK_INT(rep[0], 0, "father");
	CHECK_INT(rep[2], 0, "third with the father");
	CHECK_INT(rep[3], 0, "second father record");
	CHECK_INT(rep[1], 1, "son alone");
	CHECK(best[1] == 0, "son: no accepted edge");
	CHECK(best[0] == 0.99 && best[2] == 0.95 && best[3] == 0.99, "best probabilities");
	/* without the dob guard the chain fuses everything */
	{
		CdmClusterEdge e2[4] = {{2, 0, 0.95}, {1, 2, 0.80}, {0, 1, 0.70}, {3, 0, 0.99}};

		CHECK_INT(run(4, e2, 4, 0.5, NULL, NULL, rep, best), 3, "no guard: chained");
		CHECK_INT(rep[1], 0, "no guard: son fused");
	}
}

static void
twins(void)
{
	/* 0,1 twin A (two records), 2,3 twin B; same dob, different given names */
	int32_t		dob[5] = {19900101, 19900101, 19900101, 19900101, 19900101};
	uint64_t	uid[5] = {0, 111, 222, 0, 0};
	uint32_t	rep[5];
	double		best[5];

	{
		CdmClusterEdge e[3] = {{0, 1, 0.97}, {2, 3, 0.96}, {1, 2, 0.40}};

		CHECK_INT(run(5, e, 3, 0.5, dob, NULL, rep, best), 2, "twins: the link is below threshold");
		CHECK(rep[0] == 0 && rep[1] == 0 && rep[2] == 2 && rep[3] == 2 && rep[4] == 4,
			  "twins apart: %u %u %u %u %u", rep[0], rep[1], rep[2], rep[3], rep[4]);
		CHECK(best[4] == 0 && best[1] == 0.97, "below-threshold edge not counted");
	}
	{
		/* chained through record 4 above the threshold: ids keep them apart */
		CdmClusterEdge e[4] = {{0, 1, 0.97}, {2, 3, 0.96}, {4, 1, 0.90}, {4, 2, 0.85}};

		CHECK_INT(run(5, e, 4, 0.5, dob, uid, rep, best), 3, "twins with ids");
		CHECK(rep[4] == 0 && rep[2] == 2 && rep[3] == 2, "id guard: %u %u %u", rep[4], rep[2], rep[3]);
		CHECK(best[2] == 0.96, "refused edge not counted: %g", best[2]);
	}
	{
		/* the same records, one id equal on both sides: allowed */
		uint64_t	same[5] = {7, 0, 7, 0, 0};
		CdmClusterEdge e[2] = {{0, 1, 0.9}, {1, 2, 0.9}};

		CHECK_INT(run(5, e, 2, 0.5, NULL, same, rep, NULL), 2, "equal ids merge");
	}
}

static void
dob_bound(void)
{
	/* 19800101..19800109: pairwise one digit apart, never a conflict */
	int32_t		dob[10] = {19800101, 19800102, 19800103, 19800104, 19800105, 19800106,
	19800107, 19800108, 19800109, 19800101};
	CdmClusterEdge e[9] = {{0, 1, 0.9}, {1, 2, 0.9}, {2, 3, 0.9}, {3, 4, 0.9}, {4, 5, 0.9},
	{5, 6, 0.9}, {6, 7, 0.9}, {7, 8, 0.9}, {8, 9, 0.9}};
	uint32_t	rep[10];
	int64_t		merges = run(10, e, 9, 0.5, dob, NULL, rep, NULL);

	CHECK_INT(CDM_CLUSTER_MAX_DOBS, 8, "bound");
	CHECK_INT(merges, 8, "the ninth distinct dob is refused (conservative); 8-9 still merge");
	CHECK(rep[7] == 0 && rep[8] == 8 && rep[9] == 8, "bound: %u %u %u", rep[7], rep[8], rep[9]);
}

static void
edge_cases(void)
{
	uint32_t	rep[3] = {9, 9, 9};
	double		best[3];
	CdmClusterEdge bad[1] = {{0, 3, 0.9}};
	CdmClusterEdge self[2] = {{1, 1, 0.9}, {0, 2, NAN}};

	CHECK_INT(run(3, bad, 1, 0.5, NULL, NULL, rep, best), -1, "edge out of range");
	CHECK(rep[0] == 9, "nothing written on error");
	CHECK_INT(run(3, self, 2, 0.5, NULL, NULL, rep, best), 0, "self-loop and NaN ignored");
	CHECK(rep[0] == 0 && rep[1] == 1 && rep[2] == 2, "singletons");
	CHECK(best[1] == 0, "self-loop does not count");
	CHECK_INT(run(0, NULL, 0, 0.5, NULL, NULL, rep, NULL), 0, "nothing at all");
	{
		/* invalid dobs are missing, not guards */
		int32_t		dob[2] = {-1, 19800101};
		CdmClusterEdge e[1] = {{0, 1, 0.9}};

		CHECK_INT(run(2, e, 1, 0.5, dob, NULL, rep, NULL), 1, "invalid dob is missing");
	}
}

/* ---------------------------------------------------------------- reference */

/*
 * The definition, slowly: edges in cdm_cluster_edge_cmp order; a merge is
 * allowed when no member of one cluster conflicts with a member of the
 * other (dob or id) and the union has at most CDM_CLUSTER_MAX_DOBS
 * distinct dobs.
 */
static void
reference(size_t n, const CdmClusterEdge *sorted, size_t ne, double threshold,
		  const int32_t *dob, const uint64_t *uid, uint32_t *rep, double *best)
{
	uint32_t   *label = malloc(n * sizeof(uint32_t));

	for (size_t i = 0; i < n; i++)
		label[i] = (uint32_t) i, best[i] = 0;
	for (size_t k = 0; k < ne; k++)
	{
		const CdmClusterEdge *e = &sorted[k];
		uint32_t	la = label[e->a],
					lb = label[e->b];
		bool		ok = true;
		int32_t		seen[64];
		int			nseen = 0;

		if (!(e->p >= threshold) || e->a == e->b)
			continue;
		if (la != lb)
		{
			for (size_t i = 0; i < n && ok; i++)
			{
				if (label[i] != la && label[i] != lb)
					continue;
				if (dob[i] != 0)
				{
					bool		dup = false;

					for (int s = 0; s < nseen; s++)
						dup |= seen[s] == dob[i];
					if (!dup && nseen < 64)
						seen[nseen++] = dob[i];
				}
				if (label[i] != la)
					continue;
				for (size_t j = 0; j < n; j++)
					if (label[j] == lb &&
						(cdm_match_dob_conflict(dob[i], dob[j]) ||
						 (uid[i] && uid[j] && uid[i] != uid[j])))
						ok = false;
			}
			if (!ok || nseen > CDM_CLUSTER_MAX_DOBS)
				continue;
			for (size_t i = 0; i < n; i++)
				if (label[i] == lb)
					label[i] = la;
		}
		best[e->a] = fmax(best[e->a], e->p);
		best[e->b] = fmax(best[e->b], e->p);
	}
	for (size_t i = 0; i < n; i++)
	{
		uint32_t	m = (uint32_t) i;

		for (size_t j = 0; j < i; j++)
			if (label[j] == label[i])
			{
				m = (uint32_t) j;
				break;
			}
		rep[i] = m;
	}
	free(label);
}

static int
edge_qsort_cmp(const void *x, const void *y)
{
	return cdm_cluster_edge_cmp(x, y);
}

static void
against_reference(size_t n, size_t ne, int rounds)
{
	int32_t    *dob = malloc(n * sizeof(int32_t));
	uint64_t   *uid = malloc(n * sizeof(uint64_t));
	CdmClusterEdge *e = malloc(ne * sizeof(CdmClusterEdge));
	CdmClusterEdge *e2 = malloc(ne * sizeof(CdmClusterEdge));
	uint32_t   *rep = malloc(n * sizeof(uint32_t)),
			   *rep2 = malloc(n * sizeof(uint32_t)),
			   *ref = malloc(n * sizeof(uint32_t));
	double	   *best = malloc(n * sizeof(double)),
			   *best2 = malloc(n * sizeof(double)),
			   *refbest = malloc(n * sizeof(double));
	static const int32_t pool[] = {
		0, 0, 0, 19800101, 19800102, 19800103, 19800104, 19800105, 19810101,
		19500101, 19501010, 19800110, 19900101, 19810102
	};
	int			mismatch = 0,
				shuffled = 0;
	int64_t		merges_total = 0,
				refused = 0;

	for (int round = 0; round < rounds; round++)
	{
		for (size_t i = 0; i < n; i++)
		{
			dob[i] = pool[unit_rand() % (sizeof(pool) / sizeof(pool[0]))];
			uid[i] = unit_rand() % 8 == 0 ? 1 + unit_rand() % 5 : 0;
		}
		for (size_t k = 0; k < ne; k++)
		{
			uint32_t	a = (uint32_t) (unit_rand() % n);

			e[k].a = a;
			e[k].b = (uint32_t) ((a + 1 + unit_rand() % 20) % n);	/* local: big clusters */
			e[k].p = (double) (unit_rand() % 50) / 50;	/* many ties */
		}
		memcpy(e2, e, ne * sizeof(CdmClusterEdge));
		merges_total += run(n, e, ne, 0.3, dob, uid, rep, best);
		reference(n, e, ne, 0.3, dob, uid, ref, refbest);	/* e is sorted now */
		for (size_t i = 0; i < n; i++)
			mismatch += rep[i] != ref[i] || best[i] != refbest[i];
		/* the same edges shuffled and flipped: the same result */
		for (size_t k = ne; k > 1; k--)
		{
			size_t		j = unit_rand() % k;
			CdmClusterEdge t = e2[k - 1];

			e2[k - 1] = e2[j];
			e2[j] = t;
			if (unit_rand() % 2)
			{
				uint32_t	x = e2[j].a;

				e2[j].a = e2[j].b;
				e2[j].b = x;
			}
		}
		run(n, e2, ne, 0.3, dob, uid, rep2, best2);
		for (size_t i = 0; i < n; i++)
			shuffled += rep[i] != rep2[i] || best[i] != best2[i];
		/* sorted by the same order qsort gives */
		qsort(e2, ne, sizeof(CdmClusterEdge), edge_qsort_cmp);
		for (size_t k = 0; k < ne; k++)
			shuffled += memcmp(&e[k], &e2[k], sizeof(CdmClusterEdge)) != 0 &&
				cdm_cluster_edge_cmp(&e[k], &e2[k]) != 0;
		{
			/* how many accepted-looking edges the guards refused */
			for (size_t k = 0; k < ne; k++)
				refused += e[k].p >= 0.3 && e[k].a != e[k].b && rep[e[k].a] != rep[e[k].b];
		}
	}
	CHECK_INT(mismatch, 0, "cdm_cluster = reference (%zu records, %zu edges, %d rounds)", n, ne, rounds);
	CHECK_INT(shuffled, 0, "deterministic under shuffled, flipped edges");
	CHECK(refused > 0 && merges_total > 0, "the guards refused %lld edges, %lld merges",
		  (long long) refused, (long long) merges_total);
	free(dob);
	free(uid);
	free(e);
	free(e2);
	free(rep);
	free(rep2);
	free(ref);
	free(best);
	free(best2);
	free(refbest);
}

static void
large(void)
{
	size_t		n = 1000000,
				ne = 3000000;
	CdmClusterEdge *e = malloc(ne * sizeof(CdmClusterEdge));
	int32_t    *dob = malloc(n * sizeof(int32_t));
	uint32_t   *rep = malloc(n * sizeof(uint32_t));
	int64_t		merges;
	size_t		bad = 0;
	struct timespec t0,
				t1;

	for (size_t i = 0; i < n; i++)
		dob[i] = 19400101 + (int32_t) (unit_rand() % 60) * 10000;
	for (size_t k = 0; k < ne; k++)
	{
		e[k].a = (uint32_t) (unit_rand() % n);
		e[k].b = (uint32_t) (unit_rand() % n);
		e[k].p = (double) (unit_rand() >> 11) / 9007199254740992.0;
	}
	unit_interrupts = 0;
	cdm_check_interrupts = unit_count_interrupt;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	merges = run(n, e, ne, 0.5, dob, NULL, rep, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	cdm_check_interrupts = NULL;
	printf("bench: cdm_cluster of %zu records, %zu edges: %.0f ms (%lld merges)\n", n, ne,
		   (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) * 1e-6, (long long) merges);
	CHECK(merges > 0, "large: %lld merges", (long long) merges);
	CHECK(unit_interrupts > (long) (ne / CDM_INTERRUPT_STRIDE), "large: interrupts checked %ld times",
		  unit_interrupts);
	for (size_t i = 0; i < n; i++)
		bad += rep[i] > i || rep[rep[i]] != rep[i] || cdm_match_dob_conflict(dob[i], dob[rep[i]]);
	CHECK_INT(bad, 0, "large: reps are the smallest member, no conflict with it");
	free(e);
	free(dob);
	free(rep);
}

int
main(void)
{
	father_and_son();
	twins();
	dob_bound();
	edge_cases();
	against_reference(300, 600, 40);
	against_reference(2000, 5000, 5);
	large();
	return unit_report("cluster");
}
