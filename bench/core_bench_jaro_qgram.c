/*
 * core_bench_jaro_qgram.c - ns/call of the core Jaro, Jaro-Winkler and
 * q-gram similarity on real name pairs, plus the alternatives considered
 * for Jaro's short path (not part of the build).
 *
 * Pairs: FEBRL dataset3 (synthetic Australian person records, see
 * test/data/febrl/SOURCE.md), every rec-N-org against each of its
 * rec-N-dup-k: given_name and surname (interleaved), address_1, and the
 * whole record from given_name on (60-100 code points: the long paths).
 * Every function runs in 25 interleaved rounds of 200K calls; the fastest
 * round is reported (the machine may be shared).  BENCH_NOCHECK=1 skips
 * the check that the alternatives agree with cdm_jaro.
 *
 *   cc -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -Isrc/core/common \
 *      -Isrc/core/compare -o /tmp/bench_jq bench/core_bench_jaro_qgram.c \
 *      src/core/compare/jaro.c src/core/compare/qgram.c src/core/common/utf8.c
 *   /tmp/bench_jq [test/data/febrl/dataset3.csv]
 */
#include "jaro.h"
#include "qgram.h"
#include "utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAXLEN 256
#define CALLS 1000000

typedef struct Str
{
	cdm_char	c[MAXLEN];
	size_t		n;
} Str;

typedef struct Rec
{
	long		id;
	int			org;
	Str			f[4];			/* given_name, surname, address_1, whole record */
} Rec;

static Rec *recs;
static size_t nrecs;

typedef struct Pair
{
	const Str  *a;
	const Str  *b;
} Pair;

static volatile double sink;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Field i of a ", "-separated line, trimmed, decoded. */
static void
field(const char *line, int idx, Str *out)
{
	const char *p = line;
	const char *e;
	ptrdiff_t	k;

	for (int i = 0; i < idx && p; i++)
	{
		p = strchr(p, ',');
		if (p)
			p++;
	}
	out->n = 0;
	if (!p)
		return;
	while (*p == ' ')
		p++;
	e = p;
	while (*e && *e != ',' && *e != '\n' && *e != '\r')
		e++;
	while (e > p && e[-1] == ' ')
		e--;
	if (e - p >= MAXLEN)
		e = p + MAXLEN - 1;
	k = cdm_utf8_decode(p, (size_t) (e - p), out->c);
	out->n = k < 0 ? 0 : (size_t) k;
}

static void
load(const char *path)
{
	FILE	   *f = fopen(path, "r");
	char		line[1024];
	size_t		cap = 8192;

	if (!f)
	{
		perror(path);
		exit(1);
	}
	recs = calloc(cap, sizeof(Rec));
	if (!fgets(line, sizeof(line), f))
		exit(1);
	while (fgets(line, sizeof(line), f) && nrecs < cap)
	{
		Rec		   *r = &recs[nrecs++];

		r->id = strtol(line + 4, NULL, 10);
		r->org = strstr(line, "-org") != NULL;
		field(line, 1, &r->f[0]);
		field(line, 2, &r->f[1]);
		field(line, 4, &r->f[2]);
		/* the whole line from given_name on: 60-100 code points, the long paths */
		{
			const char *p = strchr(line, ',');
			size_t		len = p ? strcspn(p + 1, "\r\n") : 0;
			ptrdiff_t	k = p ? cdm_utf8_decode(p + 1, len < MAXLEN ? len : MAXLEN - 1, r->f[3].c) : 0;

			r->f[3].n = k < 0 ? 0 : (size_t) k;
		}
	}
	fclose(f);
}

/* org vs each of its dups, for the given fields */
static Pair *
make_pairs(int fld, size_t *np)
{
	Pair	   *p = malloc(nrecs * sizeof(Pair));
	size_t		n = 0;

	for (size_t i = 0; i < nrecs; i++)
	{
		if (!recs[i].org)
			continue;
		for (size_t j = 0; j < nrecs; j++)
			if (!recs[j].org && recs[j].id == recs[i].id)
			{
				p[n].a = &recs[i].f[fld];
				p[n].b = &recs[j].f[fld];
				n++;
			}
	}
	*np = n;
	return p;
}

/* ------------------------------------------- alternatives for the short path */

/* (1) textbook: bool flags, scan the window for each a[i] */
static double
alt_textbook(const cdm_char *a, size_t m, const cdm_char *b, size_t n)
{
	bool		fa[64],
				fb[64];
	size_t		mx = m > n ? m : n;
	size_t		w = mx / 2 > 0 ? mx / 2 - 1 : 0;
	size_t		c = 0,
				k = 0,
				j = 0;

	if (m == 0 || n == 0)
		return (m == 0 && n == 0) ? 1.0 : 0.0;
	memset(fa, 0, m);
	memset(fb, 0, n);
	for (size_t i = 0; i < m; i++)
	{
		size_t		lo = i > w ? i - w : 0;
		size_t		hi = i + w + 1 < n ? i + w + 1 : n;

		for (size_t x = lo; x < hi; x++)
			if (!fb[x] && b[x] == a[i])
			{
				fa[i] = fb[x] = true;
				c++;
				break;
			}
	}
	if (c == 0)
		return 0.0;
	for (size_t i = 0; i < m; i++)
		if (fa[i])
		{
			while (!fb[j])
				j++;
			k += a[i] != b[j++];
		}
	return ((double) c / m + (double) c / n + ((double) c - (double) (k / 2)) / c) / 3.0;
}

/* (2) scan the window directly with a 64-bit used mask, no table */
static double
alt_scan(const cdm_char *a, size_t m, const cdm_char *b, size_t n)
{
	size_t		mx = m > n ? m : n;
	size_t		w = mx / 2 > 0 ? mx / 2 - 1 : 0;
	uint64_t	used = 0,
				hit_a = 0;
	size_t		c = 0,
				k = 0;

	if (m == 0 || n == 0)
		return (m == 0 && n == 0) ? 1.0 : 0.0;
	for (size_t i = 0; i < m; i++)
	{
		size_t		lo = i > w ? i - w : 0;
		size_t		hi = i + w + 1 < n ? i + w + 1 : n;

		for (size_t x = lo; x < hi; x++)
			if (b[x] == a[i] && !(used >> x & 1))
			{
				used |= UINT64_C(1) << x;
				hit_a |= UINT64_C(1) << i;
				break;
			}
	}
	while (hit_a)
	{
		k += a[__builtin_ctzll(hit_a)] != b[__builtin_ctzll(used)];
		hit_a &= hit_a - 1;
		used &= used - 1;
		c++;
	}
	if (c == 0)
		return 0.0;
	return ((double) c / m + (double) c / n + ((double) c - (double) (k / 2)) / c) / 3.0;
}

/* (3) full 128-entry table reset per call (ASCII only: for timing) */
static double
alt_memset(const cdm_char *a, size_t m, const cdm_char *b, size_t n)
{
	uint64_t	slot[128];
	size_t		mx = m > n ? m : n;
	size_t		w = mx / 2 > 0 ? mx / 2 - 1 : 0;
	uint64_t	used = 0,
				hit_a = 0;
	size_t		c = 0,
				k = 0;

	if (m == 0 || n == 0)
		return (m == 0 && n == 0) ? 1.0 : 0.0;
	memset(slot, 0, sizeof(slot));
	for (size_t j = 0; j < n; j++)
		slot[b[j] & 127] |= UINT64_C(1) << j;
	for (size_t i = 0; i < m; i++)
	{
		size_t		lo = i > w ? i - w : 0;
		size_t		hi = i + w;
		uint64_t	win = (~UINT64_C(0) << lo) &
			(hi >= 63 ? ~UINT64_C(0) : (UINT64_C(2) << hi) - 1);
		uint64_t	cand = slot[a[i] & 127] & win & ~used;

		if (cand)
		{
			used |= cand & -cand;
			hit_a |= UINT64_C(1) << i;
		}
	}
	while (hit_a)
	{
		k += a[__builtin_ctzll(hit_a)] != b[__builtin_ctzll(used)];
		hit_a &= hit_a - 1;
		used &= used - 1;
		c++;
	}
	if (c == 0)
		return 0.0;
	return ((double) c / m + (double) c / n + ((double) c - (double) (k / 2)) / c) / 3.0;
}

/* --------------------------------------------------------------- timing */

typedef double (*Fn) (const Pair *p, void *work);

static double
f_jaro(const Pair *p, void *work)
{
	return cdm_jaro(p->a->c, p->a->n, p->b->c, p->b->n, work);
}

static double
f_jw(const Pair *p, void *work)
{
	return cdm_jaro_winkler(p->a->c, p->a->n, p->b->c, p->b->n, work);
}

static double
f_q1(const Pair *p, void *work)
{
	return cdm_qgram_similarity(p->a->c, p->a->n, p->b->c, p->b->n, 1, work);
}

static double
f_q2(const Pair *p, void *work)
{
	return cdm_qgram_similarity(p->a->c, p->a->n, p->b->c, p->b->n, 2, work);
}

static double
f_q3(const Pair *p, void *work)
{
	return cdm_qgram_similarity(p->a->c, p->a->n, p->b->c, p->b->n, 3, work);
}

static double
f_q4(const Pair *p, void *work)
{
	return cdm_qgram_similarity(p->a->c, p->a->n, p->b->c, p->b->n, 4, work);
}

static double
f_empty(const Pair *p, void *work)
{
	(void) work;
	return (double) p->a->n;
}

static double
f_textbook(const Pair *p, void *work)
{
	(void) work;
	return alt_textbook(p->a->c, p->a->n, p->b->c, p->b->n);
}

static double
f_scan(const Pair *p, void *work)
{
	(void) work;
	return alt_scan(p->a->c, p->a->n, p->b->c, p->b->n);
}

static double
f_memset(const Pair *p, void *work)
{
	(void) work;
	return alt_memset(p->a->c, p->a->n, p->b->c, p->b->n);
}

/*
 * The machine may be shared: run every function in interleaved rounds of
 * CALLS / 5 calls and keep each one's fastest round.
 */
#define NFN 11
#define ROUNDS 25

static void
bench_all(const char *const *labels, const Fn *fns, int nfn,
		  const Pair *pairs, size_t np)
{
	static char work[1 << 16];	/* big enough for every pair here */
	double		best[NFN];
	double		acc = 0;
	size_t		per = CALLS / 5;

	for (int f = 0; f < nfn; f++)
		best[f] = 1e30;
	for (int rep = 0; rep < ROUNDS; rep++)
		for (int f = 0; f < nfn; f++)
		{
			double		t0 = now();
			double		t;

			for (size_t i = 0, k = 0; i < per; i++)
			{
				acc += fns[f] (&pairs[k], work);
				if (++k == np)
					k = 0;
			}
			t = (now() - t0) / per * 1e9;
			if (t < best[f])
				best[f] = t;
		}
	sink = acc;
	for (int f = 0; f < nfn; f++)
		printf("  %-26s %7.1f ns/call\n", labels[f], best[f]);
}

static void
check_alternatives(const Pair *pairs, size_t np)
{
	for (size_t i = 0; i < np; i++)
	{
		double		r = f_jaro(&pairs[i], NULL);

		if (pairs[i].a->n > 64 || pairs[i].b->n > 64)
			continue;

		if (r != f_textbook(&pairs[i], NULL) || r != f_scan(&pairs[i], NULL) ||
			r != f_memset(&pairs[i], NULL))
		{
			fprintf(stderr, "alternatives disagree on pair %zu\n", i);
			exit(1);
		}
	}
}

static void
run(const char *title, Pair *pairs, size_t np)
{
	double		len = 0;

	for (size_t i = 0; i < np; i++)
		len += (double) (pairs[i].a->n + pairs[i].b->n) / 2;
	printf("%s: %zu pairs, mean length %.1f code points, best 200K-call round of 25\n",
		   title, np, len / np);
	{
		static const char *const labels[NFN] = {
			"(harness only)", "cdm_jaro", "cdm_jaro_winkler",
			"cdm_qgram_similarity q=1", "cdm_qgram_similarity q=2",
			"cdm_qgram_similarity q=3", "cdm_qgram_similarity q=4",
			"cdm_jaro (again)", "alt: textbook jaro",
		"alt: window scan jaro", "alt: 1 KB memset jaro"};
		static const Fn fns[NFN] = {
			f_empty, f_jaro, f_jw, f_q1, f_q2, f_q3, f_q4, f_jaro,
		f_textbook, f_scan, f_memset};
		bool		short_only = true;

		/* the alternatives handle up to 64 code points only */
		for (size_t i = 0; i < np; i++)
			if (pairs[i].a->n > 64 || pairs[i].b->n > 64)
				short_only = false;
		bench_all(labels, fns, short_only ? NFN : NFN - 3, pairs, np);
	}
}

int
main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "test/data/febrl/dataset3.csv";
	size_t		ng,
				ns,
				nd,
				nl;
	Pair	   *g,
			   *s,
			   *d,
			   *l,
			   *both;

	load(path);
	g = make_pairs(0, &ng);
	s = make_pairs(1, &ns);
	d = make_pairs(2, &nd);
	l = make_pairs(3, &nl);
	both = malloc((ng + ns) * sizeof(Pair));
	/* interleave given names and surnames so the branch predictor sees a mix */
	for (size_t i = 0; i < ng; i++)
	{
		both[2 * i] = g[i];
		both[2 * i + 1] = s[i];
	}
	/* BENCH_NOCHECK=1 skips the cross-check (for timing modified builds) */
	if (!getenv("BENCH_NOCHECK"))
	{
		check_alternatives(both, ng + ns);
		check_alternatives(d, nd);
	}
	run("given_name + surname (org vs dup)", both, ng + ns);
	run("address_1 (org vs dup)", d, nd);
	run("whole record (org vs dup)", l, nl);
	return 0;
}
