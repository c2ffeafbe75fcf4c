/*
 * test_fs_model.c - the Fellegi-Sunter model (fs_model.h): compaction of
 * patterns, u from random pairs and EM recovering a known model from
 * synthetic patterns drawn from it, degenerate inputs, weights and the TF
 * adjustment, stable probabilities, and the flat and text round trips.
 */
#include "unit.h"

#include "fs_model.h"
#include "match_record.h"

#include <math.h>
#include <time.h>

/* ---------------------------------------------------------------- compaction */

static int
u64_cmp(const void *x, const void *y)
{
	uint64_t	a = *(const uint64_t *) x,
				b = *(const uint64_t *) y;

	return a < b ? -1 : a > b;
}

static void
compact_against_qsort(size_t n, uint64_t distinct)
{
	uint64_t   *p = malloc(n * sizeof(uint64_t));
	uint64_t   *q = malloc(n * sizeof(uint64_t));
	uint64_t   *c = malloc(n * sizeof(uint64_t));
	size_t		k,
				j = 0,
				bad = 0;
	uint64_t	sum = 0;

	for (size_t i = 0; i < n; i++)
		p[i] = q[i] = distinct ? (unit_rand() % distinct) * 0x9E3779B97F4A7C15ULL : unit_rand();
	qsort(q, n, sizeof(uint64_t), u64_cmp);
	k = cdm_fs_compact(p, n, c);
	for (size_t i = 0; i < k; i++)
	{
		uint64_t	cnt = 0;

		while (j < n && q[j] == p[i])
			j++, cnt++;
		bad += cnt != c[i] || cnt == 0 || (i > 0 && p[i - 1] >= p[i]);
		sum += c[i];
	}
	CHECK_INT(bad, 0, "compact(%zu, %llu distinct): patterns and counts as qsort gives",
			  n, (unsigned long long) distinct);
	CHECK_INT(j, n, "compact: every element accounted for");
	CHECK_INT(sum, n, "compact: counts add up");
	free(p);
	free(q);
	free(c);
}

static void
compaction(void)
{
	uint64_t	c[4];
	uint64_t	one[1] = {42};

	CHECK_INT(cdm_fs_compact(NULL, 0, c), 0, "compact nothing");
	CHECK_INT(cdm_fs_compact(one, 1, c), 1, "compact one");
	CHECK_INT(c[0], 1, "count of one");
	compact_against_qsort(1000, 0);
	compact_against_qsort(200000, 7);
	compact_against_qsort(300000, 3000);
	compact_against_qsort(100000, 0);
	{
		/* sorted and reverse-sorted input, all equal: no quadratic blow-up */
		size_t		n = 200000;
		uint64_t   *p = malloc(n * sizeof(uint64_t));
		uint64_t   *cc = malloc(n * sizeof(uint64_t));

		for (size_t i = 0; i < n; i++)
			p[i] = n - i;
		CHECK_INT(cdm_fs_compact(p, n, cc), n, "reverse sorted, distinct");
		CHECK(p[0] == 1 && p[n - 1] == n, "sorted ascending");
		for (size_t i = 0; i < n; i++)
			p[i] = 5;
		unit_interrupts = 0;
		cdm_check_interrupts = unit_count_interrupt;
		CHECK_INT(cdm_fs_compact(p, n, cc), 1, "all equal");
		cdm_check_interrupts = NULL;
		CHECK_INT(cc[0], n, "all equal: one count");
		CHECK(unit_interrupts > 0, "compact checks interrupts");
		free(p);
		free(cc);
	}
}

/* ---------------------------------------------------------------- EM */

/* The true model the synthetic pairs are drawn from (levels 1..). */
#define NR 6
static const int true_nlevels[NR] = {8, 8, 6, 5, 4, 3};
static const double true_m[NR][7] = {
	{0.60, 0.15, 0.10, 0.05, 0.04, 0.03, 0.03},
	{0.70, 0.10, 0.08, 0.04, 0.03, 0.02, 0.03},
	{0.80, 0.03, 0.05, 0.07, 0.05},
	{0.70, 0.10, 0.05, 0.15},
	{0.75, 0.15, 0.10},
	{0.95, 0.05},
};
static const double true_u[NR][7] = {
	{0.02, 0.01, 0.04, 0.05, 0.10, 0.03, 0.75},
	{0.03, 0.01, 0.03, 0.06, 0.12, 0.02, 0.73},
	{0.01, 0.005, 0.01, 0.03, 0.945},
	{0.01, 0.02, 0.05, 0.92},
	{0.05, 0.10, 0.85},
	{0.40, 0.60},
};
#define TRUE_LAMBDA 0.15

static int
draw(const double *p, int nlevels)
{
	double		x = (double) (unit_rand() >> 11) / 9007199254740992.0;

	for (int l = 1; l < nlevels - 1; l++)
	{
		if (x < p[l - 1])
			return l;
		x -= p[l - 1];
	}
	return nlevels - 1;
}

/* A pattern of a match (is_match) or a non-match; roles missing 10% of the time. */
static uint64_t
synthetic_pattern(bool is_match)
{
	uint64_t	p = 0;

	for (int r = 0; r < NR; r++)
	{
		int			l = 0;

		if (unit_rand() % 10 != 0)
			l = draw(is_match ? true_m[r] : true_u[r], true_nlevels[r]);
		p |= (uint64_t) l << (4 * r);
	}
	return p;
}

static void
start_model(CdmFsModel *m)
{
	memset(m, 0, sizeof(*m));
	m->nroles = NR;
	m->lambda = 0.01;
	m->tf_floor = CDM_FS_TF_FLOOR_DEFAULT;
	for (int r = 0; r < NR; r++)
	{
		CdmFsRole  *role = &m->role[r];

		role->nlevels = true_nlevels[r];
		/* generic priors: agreement likely for matches, uniform u */
		for (int l = 1; l < role->nlevels; l++)
		{
			role->m[l] = l == 1 ? 0.5 : 0.5 / (role->nlevels - 2);
			role->u[l] = 1.0 / (role->nlevels - 1);
		}
	}
	CHECK(cdm_fs_model_prepare(m), "start model valid");
}

static void
em_recovers_model(void)
{
	size_t		nr = 400000,
				nc = 400000;
	uint64_t   *rp = malloc(nr * sizeof(uint64_t));
	uint64_t   *rc = malloc(nr * sizeof(uint64_t));
	uint64_t   *cp = malloc(nc * sizeof(uint64_t));
	uint64_t   *cc = malloc(nc * sizeof(uint64_t));
	CdmFsModel	m;
	size_t		kr,
				kc;
	double		worst_u = 0,
				worst_m = 0;
	int			it;
	struct timespec t0,
				t1;

	/* random pairs: nearly all non-matches (0.1% matches, as in real data) */
	for (size_t i = 0; i < nr; i++)
		rp[i] = synthetic_pattern(unit_rand() % 1000 == 0);
	for (size_t i = 0; i < nc; i++)
		cp[i] = synthetic_pattern((double) (unit_rand() >> 11) / 9007199254740992.0 < TRUE_LAMBDA);
	kr = cdm_fs_compact(rp, nr, rc);
	kc = cdm_fs_compact(cp, nc, cc);
	CHECK(kc < nc / 10, "candidate pairs compact to few patterns: %zu", kc);
	start_model(&m);
	CHECK_INT(cdm_fs_estimate_u(&m, rp, rc, kr), nr, "u from every random pair");
	for (int r = 0; r < NR; r++)
		for (int l = 1; l < true_nlevels[r]; l++)
			worst_u = fmax(worst_u, fabs(m.role[r].u[l] - true_u[r][l - 1]));
	CHECK(worst_u < 0.005, "u recovered within 0.005: worst %g", worst_u);

	unit_interrupts = 0;
	cdm_check_interrupts = unit_count_interrupt;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	it = cdm_fs_em(&m, cp, cc, kc, 500, 1e-6);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	cdm_check_interrupts = NULL;
	CHECK(it > 1 && it < 500, "EM converged in %d iterations", it);
	CHECK(unit_interrupts >= it, "EM checks interrupts every iteration");
	CHECK(fabs(m.lambda - TRUE_LAMBDA) < 0.01, "lambda recovered: %g", m.lambda);
	for (int r = 0; r < NR; r++)
	{
		double		sum = 0;

		for (int l = 1; l < true_nlevels[r]; l++)
		{
			worst_m = fmax(worst_m, fabs(m.role[r].m[l] - true_m[r][l - 1]));
			sum += m.role[r].m[l];
		}
		CHECK(fabs(sum - 1) < 1e-9, "m of role %d sums to 1: %.12f", r, sum);
	}
	CHECK(worst_m < 0.02, "m recovered within 0.02: worst %g", worst_m);
	printf("em: %.1f ms, %d iterations over %zu distinct patterns (%zu pairs), lambda %.4f (true %.2f), "
		   "worst |m - m_true| %.4f, worst |u - u_true| %.4f\n",
		   (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) * 1e-6,
		   it, kc, nc, m.lambda, TRUE_LAMBDA, worst_m, worst_u);

	/* the same counts, one pattern at a time (no counts array) gives the same fit */
	{
		CdmFsModel	m2;
		size_t		n2 = 0;
		uint64_t   *flat = malloc(nc * sizeof(uint64_t));
		int			it2;

		for (size_t i = 0; i < kc; i++)
			for (uint64_t j = 0; j < cc[i]; j++)
				flat[n2++] = cp[i];
		start_model(&m2);
		memcpy(m2.role, m.role, sizeof(m.role));	/* same u */
		start_model(&m);
		memcpy(m.role, m2.role, sizeof(m.role));
		for (int r = 0; r < NR; r++)
			for (int l = 1; l < true_nlevels[r]; l++)
				m.role[r].m[l] = m2.role[r].m[l] = l == 1 ? 0.5 : 0.5 / (true_nlevels[r] - 2);
		cdm_fs_em(&m, cp, cc, kc, 50, 0);
		it2 = cdm_fs_em(&m2, flat, NULL, n2, 50, 0);
		CHECK_INT(it2, 50, "tol 0: runs max_iter");
		CHECK(fabs(m.lambda - m2.lambda) < 1e-9 && fabs(m.role[0].m[1] - m2.role[0].m[1]) < 1e-9,
			  "counts = repeated patterns: %g %g", m.lambda, m2.lambda);
		free(flat);
	}
	free(rp);
	free(rc);
	free(cp);
	free(cc);
}

static bool
model_finite(const CdmFsModel *m)
{
	if (!isfinite(m->lambda) || !isfinite(m->prior_w))
		return false;
	for (int r = 0; r < m->nroles; r++)
		for (int l = 0; l < m->role[r].nlevels; l++)
			if (!isfinite(m->role[r].m[l]) || !isfinite(m->role[r].w[l]))
				return false;
	return true;
}

static void
em_degenerate(void)
{
	CdmFsModel	m,
				before;
	uint64_t	p[3],
				c[3];
	CdmFsModel	bad;

	start_model(&m);
	before = m;
	CHECK_INT(cdm_fs_em(&m, NULL, NULL, 0, 100, 1e-6), 0, "no pairs: 0 iterations");
	CHECK(memcmp(&m, &before, sizeof(m)) == 0, "no pairs: model unchanged");
	c[0] = 0;
	p[0] = 0x111111;
	CHECK_INT(cdm_fs_em(&m, p, c, 1, 100, 1e-6), 0, "zero counts: no pairs");
	CHECK_INT(cdm_fs_estimate_u(&m, NULL, NULL, 0), 0, "no random pairs");
	CHECK(memcmp(&m, &before, sizeof(m)) == 0, "no random pairs: u unchanged");

	/* every pattern identical */
	c[0] = 1000;
	CHECK(cdm_fs_em(&m, p, c, 1, 1000, 1e-6) > 0, "one pattern: runs");
	CHECK(model_finite(&m), "one pattern: no NaN or infinity");
	CHECK(m.lambda >= CDM_FS_LAMBDA_MIN && m.lambda <= CDM_FS_LAMBDA_MAX, "lambda in range: %g", m.lambda);
	CHECK(m.role[0].m[2] >= CDM_FS_PROB_FLOOR * 0.999, "a level never seen keeps m >= floor: %g",
		  m.role[0].m[2]);

	/* everything missing */
	start_model(&m);
	p[0] = 0;
	c[0] = 500;
	CHECK(cdm_fs_em(&m, p, c, 1, 100, 1e-6) > 0, "all missing: runs");
	CHECK(model_finite(&m), "all missing: finite");
	CHECK(fabs(m.role[0].m[1] - 0.5) < 1e-12, "all missing: m unchanged");

	/* levels past nlevels count as missing; lambda 0 start is invalid */
	start_model(&m);
	p[0] = 0xF;
	p[1] = 0x1;
	c[0] = c[1] = 10;
	CHECK(cdm_fs_em(&m, p, c, 2, 100, 1e-6) > 0 && model_finite(&m), "level 15 ignored");
	CHECK(cdm_fs_weight(&m, 0xF) == m.prior_w, "level past nlevels weighs 0");
	bad = m;
	bad.lambda = 0;
	CHECK_INT(cdm_fs_em(&bad, p, c, 2, 100, 1e-6), -1, "invalid model: -1");
	bad = m;
	bad.role[1].m[3] = 0;
	CHECK(!cdm_fs_model_prepare(&bad), "m = 0 invalid");
	bad = m;
	bad.role[1].nlevels = 17;
	CHECK(!cdm_fs_model_prepare(&bad), "17 levels invalid");
	bad = m;
	bad.role[1].u[1] = NAN;
	CHECK(!cdm_fs_model_prepare(&bad), "NaN u invalid");
	bad = m;
	bad.nroles = 0;
	CHECK(!cdm_fs_model_prepare(&bad), "no roles invalid");
}

/* ---------------------------------------------------------------- scoring */

static void
scoring(void)
{
	CdmFsModel	m;
	uint64_t	p;
	double		w,
				manual,
				out[CDM_MATCH_NROLES],
				prior,
				sum = 0;
	double		tf_smith[CDM_MATCH_NROLES] = {0},
				tf_kierkegaard[CDM_MATCH_NROLES] = {0},
				tf_tiny[CDM_MATCH_NROLES] = {0},
				tf_floor[CDM_MATCH_NROLES] = {0};

	cdm_match_model_init(&m);
	p = 0;
	p = cdm_match_set_level(p, CDM_ROLE_GIVEN_NAME, CDM_NAME_EXACT);
	p = cdm_match_set_level(p, CDM_ROLE_FAMILY_NAME, CDM_NAME_FOLDED);
	p = cdm_match_set_level(p, CDM_ROLE_DOB, CDM_DOB_ELSE);
	p = cdm_match_set_level(p, CDM_ROLE_CITY, 1);
	CHECK_INT(cdm_match_level(p, CDM_ROLE_DOB), CDM_DOB_ELSE, "set/get level");
	w = cdm_fs_weight(&m, p);
	manual = log2(0.01 / 0.99) + log2(0.70 / 0.005) + log2(0.08 / 0.002) +
		log2(0.05 / 0.98379) + log2(0.85 / 0.05);
	CHECK(fabs(w - manual) < 1e-9, "weight = prior + sum log2(m/u): %g vs %g", w, manual);
	CHECK(fabs(cdm_fs_weight_tf(&m, p, NULL) - w) < 1e-12, "tf NULL: same weight");
	prior = cdm_fs_role_weights(&m, p, NULL, out);
	for (int r = 0; r < CDM_MATCH_NROLES; r++)
		sum += out[r];
	CHECK(fabs(prior + sum - w) < 1e-9, "waterfall adds up");
	CHECK(out[CDM_ROLE_EMAIL] == 0, "missing role weighs 0");
	CHECK(out[CDM_ROLE_DOB] < 0, "disagreement weighs against");

	/* TF: agreeing on a common family name weighs less than on a rare one */
	tf_smith[CDM_ROLE_FAMILY_NAME] = 0.01;
	tf_kierkegaard[CDM_ROLE_FAMILY_NAME] = 0.00002;
	tf_tiny[CDM_ROLE_FAMILY_NAME] = 1e-12;
	tf_floor[CDM_ROLE_FAMILY_NAME] = CDM_FS_TF_FLOOR_DEFAULT;
	CHECK(cdm_fs_weight_tf(&m, p, tf_smith) < w, "smith below the average agreement");
	CHECK(cdm_fs_weight_tf(&m, p, tf_kierkegaard) > w, "kierkegaard above it");
	CHECK(fabs(cdm_fs_weight_tf(&m, p, tf_smith) - w - log2(0.002 / 0.01)) < 1e-9,
		  "adjustment = log2(u / tf)");
	CHECK(cdm_fs_weight_tf(&m, p, tf_tiny) == cdm_fs_weight_tf(&m, p, tf_floor),
		  "tf floored at tf_floor");
	cdm_fs_role_weights(&m, p, tf_smith, out);
	CHECK(fabs(out[CDM_ROLE_FAMILY_NAME] - log2(0.08 / 0.01)) < 1e-9,
		  "waterfall with TF: log2(m / tf)");
	p = cdm_match_set_level(p, CDM_ROLE_FAMILY_NAME, CDM_NAME_JW92);
	CHECK(cdm_fs_weight_tf(&m, p, tf_smith) == cdm_fs_weight(&m, p),
		  "no TF at a fuzzy level");

	/* probabilities */
	CHECK(cdm_fs_probability(0) == 0.5, "p(0) = 0.5");
	CHECK(cdm_fs_probability(1000) == 1.0, "p(1000) = 1");
	CHECK(cdm_fs_probability(-1000) > 0 && fabs(cdm_fs_probability(-1000) / ldexp(1, -1000) - 1) < 1e-12,
		  "p(-1000) = 2^-1000: %g", cdm_fs_probability(-1000));
	CHECK(cdm_fs_probability(5000) == 1.0 && cdm_fs_probability(-5000) == 0.0, "p(+-5000)");
	CHECK(cdm_fs_probability(INFINITY) == 1.0 && cdm_fs_probability(-INFINITY) == 0.0, "p(inf)");
	CHECK(fabs(cdm_fs_probability(3) - 8.0 / 9) < 1e-15, "p(3) = 8/9");
	CHECK(fabs(cdm_fs_probability(-3) - 1.0 / 9) < 1e-15, "p(-3) = 1/9");
	CHECK(fabs(cdm_fs_weight_of_probability(0.9) - log2(9)) < 1e-12, "weight of 0.9");
	CHECK(fabs(cdm_fs_probability(cdm_fs_weight_of_probability(0.37)) - 0.37) < 1e-12,
		  "probability inverts weight");
}

/*
 * cdm_fs_weight_tf_max bounds cdm_fs_weight_tf from above for every tf,
 * and is reached when every TF role sits at the floor: random models,
 * patterns (levels past nlevels included) and term frequencies.
 */
static void
tf_bound(void)
{
	uint64_t	seed = 0x9e3779b97f4a7c15ULL;
	int			below = 0,
				reached = 0,
				trials = 20000;

	for (int t = 0; t < trials; t++)
	{
		CdmFsModel	m;
		uint64_t	p = 0;
		double		tf[CDM_MATCH_NROLES],
					at_floor[CDM_MATCH_NROLES],
					bound;

		cdm_match_model_init(&m);
		for (int r = 0; r < m.nroles; r++)
			for (int l = 1; l < m.role[r].nlevels; l++)
			{
				seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
				m.role[r].u[l] = 1e-6 + (double) (seed >> 11) / 9007199254740992.0 * 0.5;
			}
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		m.tf_floor = ldexp(1.0, -(int) (seed >> 59) - 1);	/* 2^-1 .. 2^-32 */
		CHECK(cdm_fs_model_prepare(&m), "random model %d prepares", t);
		for (int r = 0; r < m.nroles; r++)
		{
			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			p |= (uint64_t) ((seed >> 33) % (uint64_t) (m.role[r].nlevels + 1)) << (4 * r);
			/* 0 (no TF), below the floor, or anything up to 1 */
			tf[r] = (seed >> 20) % 3 == 0 ? 0 : ldexp((double) ((seed >> 40) & 0xffff) / 65536.0, -(int) ((seed >> 8) % 40));
			at_floor[r] = m.tf_floor;
		}
		bound = cdm_fs_weight_tf_max(&m, p);
		if (cdm_fs_weight_tf(&m, p, tf) <= bound)
			below++;
		/* equal when every positive adjustment is taken at the floor */
		for (int r = 0; r < m.nroles; r++)
		{
			int			l = cdm_match_level(p, r);

			if (m.role[r].tf_levels > 0 && l >= 1 && l <= m.role[r].tf_levels &&
				m.role[r].log2u[l] - log2(m.tf_floor) <= 0)
				at_floor[r] = 0;
		}
		if (cdm_fs_weight_tf(&m, p, at_floor) == bound)
			reached++;
	}
	CHECK_INT(below, trials, "weight_tf <= weight_tf_max");
	CHECK_INT(reached, trials, "weight_tf_max reached at the floor");
}

/* ---------------------------------------------------------------- storage */

static bool
same_model(const CdmFsModel *a, const CdmFsModel *b)
{
	if (a->nroles != b->nroles || a->lambda != b->lambda || a->tf_floor != b->tf_floor)
		return false;
	for (int r = 0; r < a->nroles; r++)
	{
		if (a->role[r].nlevels != b->role[r].nlevels ||
			a->role[r].tf_levels != b->role[r].tf_levels)
			return false;
		for (int l = 1; l < a->role[r].nlevels; l++)
			if (a->role[r].m[l] != b->role[r].m[l] || a->role[r].u[l] != b->role[r].u[l] ||
				a->role[r].w[l] != b->role[r].w[l])
				return false;
	}
	return true;
}

static void
storage(void)
{
	CdmFsModel	m,
				back;
	double		flat[512];
	char		txt[8192],
				small[16];
	size_t		n,
				len;

	cdm_match_model_init(&m);
	/* values that do not print short */
	m.lambda = 1.0 / 3;
	m.role[2].m[1] = 0.1 + 0.2;
	cdm_fs_model_prepare(&m);
	n = cdm_fs_model_to_flat(&m, flat, 512);
	CHECK_INT(n, cdm_fs_model_flat_size(&m), "flat size");
	CHECK_INT(n, 4 + 11 * 2 + 2 * (7 + 7 + 6 + 4 + 4 + 3 + 3 + 3 + 2 + 5 + 2), "flat size by hand");
	CHECK_INT(cdm_fs_model_to_flat(&m, flat, 10), n, "flat: too small reports the size");
	CHECK(cdm_fs_model_from_flat(&back, flat, n), "flat parses");
	CHECK(same_model(&m, &back), "flat round trip exact");
	CHECK(fabs(cdm_fs_weight(&back, 0x123456789) - cdm_fs_weight(&m, 0x123456789)) == 0,
		  "round-tripped model scores the same");
	CHECK(!cdm_fs_model_from_flat(&back, flat, n - 1), "flat truncated");
	CHECK(!cdm_fs_model_from_flat(&back, flat, 3), "flat too short");
	flat[0] = 2;
	CHECK(!cdm_fs_model_from_flat(&back, flat, n), "flat: unknown format");
	flat[0] = 1;
	flat[4] = 8.5;
	CHECK(!cdm_fs_model_from_flat(&back, flat, n), "flat: fractional nlevels");
	flat[4] = 8;
	flat[6] = 0;
	CHECK(!cdm_fs_model_from_flat(&back, flat, n), "flat: m = 0");
	flat[6] = m.role[0].m[1];
	CHECK(cdm_fs_model_from_flat(&back, flat, n), "flat restored");

	len = cdm_fs_model_to_text(&m, txt, sizeof(txt));
	CHECK(len > 100 && len < sizeof(txt) && strlen(txt) == len, "text length %zu", len);
	CHECK(strncmp(txt, "cdm_fs 1\nlambda 0.33333333333333331\n", 36) == 0, "text head: %.40s", txt);
	CHECK(strstr(txt, "role 8 levels 3 tf 0 m 0.97999999999999998 0.02") != NULL, "text role line");
	CHECK(cdm_fs_model_from_text(&back, txt), "text parses");
	CHECK(same_model(&m, &back), "text round trip exact");
	CHECK_INT(cdm_fs_model_to_text(&m, small, sizeof(small)), len, "text: too small reports length");
	CHECK_INT(strlen(small), sizeof(small) - 1, "text: truncated output NUL-terminated");
	CHECK(!cdm_fs_model_from_text(&back, "cdm_fs 1\nlambda 0.5\n"), "text: no tf_floor");
	CHECK(!cdm_fs_model_from_text(&back, "cdm_fs 1 lambda 0.5 tf_floor 1e-6"), "text: no roles");
	CHECK(cdm_fs_model_from_text(&back, "cdm_fs 1 lambda 0.5 tf_floor 1e-6 role 0 levels 2 tf 1 m 1 u 1"),
		  "text: minimal model");
	CHECK(back.nroles == 1 && back.role[0].w[1] == 0 && back.prior_w == 0, "minimal model values");
	CHECK(!cdm_fs_model_from_text(&back, "cdm_fs 1 lambda 0.5 tf_floor 1e-6 role 1 levels 2 tf 0 m 1 u 1"),
		  "text: roles out of order");
	CHECK(!cdm_fs_model_from_text(&back, "cdm_fs 1 lambda 0.5 tf_floor 1e-6 role 0 levels 3 tf 0 m 1 u 1"),
		  "text: too few values");
	CHECK(!cdm_fs_model_from_text(&back, "cdm_fs 1 lambda 1 tf_floor 1e-6 role 0 levels 2 tf 0 m 1 u 1"),
		  "text: lambda 1");
	CHECK(!cdm_fs_model_from_text(&back, "cdm_fs 1 lambda 0.5 tf_floor 1e-6 role 0 levels 2 tf 0 m 1 u 1 x"),
		  "text: trailing junk");
	CHECK(!cdm_fs_model_from_text(&back, ""), "text: empty");
}

int
main(void)
{
	compaction();
	em_recovers_model();
	em_degenerate();
	scoring();
	tf_bound();
	storage();
	return unit_report("fs_model");
}
