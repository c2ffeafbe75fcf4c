/*
 * fs_em.c - training the Fellegi-Sunter model: compacting patterns into
 * distinct patterns with counts, u from random pairs, m and lambda by EM.
 */
#include "fs_model.h"

#include <math.h>
#include <string.h>

/* ---------------------------------------------------------------- sorting */

/*
 * Introsort of uint64_t with three-way (Dijkstra) partitions: the patterns
 * of a real run hold a few thousand distinct values among millions, and
 * elements equal to the pivot are finished in one pass.  Interrupts are
 * checked every CDM_INTERRUPT_STRIDE elements partitioned.
 */
typedef struct SortState
{
	size_t		work;			/* elements touched since the last check */
} SortState;

static void
tick(SortState *st, size_t n)
{
	st->work += n;
	if (st->work >= CDM_INTERRUPT_STRIDE)
	{
		st->work = 0;
		CDM_CHECK_INTERRUPTS();
	}
}

static void
sift_down(uint64_t *a, size_t i, size_t n)
{
	uint64_t	v = a[i];

	for (;;)
	{
		size_t		c = 2 * i + 1;

		if (c >= n)
			break;
		if (c + 1 < n && a[c + 1] > a[c])
			c++;
		if (a[c] <= v)
			break;
		a[i] = a[c];
		i = c;
	}
	a[i] = v;
}

static void
heap_sort(SortState *st, uint64_t *a, size_t n)
{
	for (size_t i = n / 2; i-- > 0;)
		sift_down(a, i, n);
	for (size_t i = n; i-- > 1;)
	{
		uint64_t	t = a[0];

		a[0] = a[i];
		a[i] = t;
		sift_down(a, 0, i);
		tick(st, 64);			/* about log2(n) steps each */
	}
}

static void
insertion_sort(uint64_t *a, size_t n)
{
	for (size_t i = 1; i < n; i++)
	{
		uint64_t	v = a[i];
		size_t		j = i;

		for (; j > 0 && a[j - 1] > v; j--)
			a[j] = a[j - 1];
		a[j] = v;
	}
}

static uint64_t
median3(uint64_t x, uint64_t y, uint64_t z)
{
	if (x < y)
		return y < z ? y : (x < z ? z : x);
	return x < z ? x : (y < z ? z : y);
}

static void
intro_sort(SortState *st, uint64_t *a, size_t n, int depth)
{
	while (n > 16)
	{
		uint64_t	pivot;
		size_t		lt = 0,
					i = 0,
					gt = n;

		if (depth-- == 0)
		{
			heap_sort(st, a, n);
			return;
		}
		pivot = median3(a[0], a[n / 2], a[n - 1]);
		/* a[0..lt) < pivot, a[lt..i) == pivot, a[gt..n) > pivot */
		while (i < gt)
		{
			uint64_t	v = a[i];

			if (v < pivot)
			{
				a[i++] = a[lt];
				a[lt++] = v;
			}
			else if (v > pivot)
			{
				a[i] = a[--gt];
				a[gt] = v;
			}
			else
				i++;
		}
		tick(st, n);
		/* recurse into the smaller side, loop on the larger */
		if (lt < n - gt)
		{
			intro_sort(st, a, lt, depth);
			a += gt;
			n -= gt;
		}
		else
		{
			intro_sort(st, a + gt, n - gt, depth);
			n = lt;
		}
	}
	insertion_sort(a, n);
}

size_t
cdm_fs_compact(uint64_t *patterns, size_t n, uint64_t *counts)
{
	SortState	st = {0};
	int			depth = 0;
	size_t		k = 0;

	for (size_t m = n; m > 1; m >>= 1)
		depth += 2;
	intro_sort(&st, patterns, n, depth);
	for (size_t i = 0; i < n; i++)
	{
		if (k > 0 && patterns[k - 1] == patterns[i])
			counts[k - 1]++;
		else
		{
			patterns[k] = patterns[i];
			counts[k++] = 1;
		}
	}
	return k;
}

/* ---------------------------------------------------------------- u */

uint64_t
cdm_fs_estimate_u(CdmFsModel *model, const uint64_t *patterns,
				  const uint64_t *counts, size_t k)
{
	double		c[CDM_FS_MAX_ROLES][CDM_FS_MAX_LEVELS];
	uint64_t	total = 0;

	memset(c, 0, sizeof(c));
	for (size_t i = 0; i < k; i++)
	{
		uint64_t	p = patterns[i];
		uint64_t	w = counts ? counts[i] : 1;

		for (int r = 0; r < model->nroles; r++, p >>= 4)
		{
			int			l = (int) (p & 15);

			if (l > 0 && l < model->role[r].nlevels)
				c[r][l] += (double) w;
		}
		total += w;
		if ((i + 1) % CDM_INTERRUPT_STRIDE == 0)
			CDM_CHECK_INTERRUPTS();
	}
	for (int r = 0; r < model->nroles; r++)
	{
		CdmFsRole  *role = &model->role[r];
		double		sum = 0;

		for (int l = 1; l < role->nlevels; l++)
			sum += c[r][l];
		if (sum == 0)
			continue;
		for (int l = 1; l < role->nlevels; l++)
			role->u[l] = (c[r][l] + 1) / (sum + role->nlevels - 1);
	}
	cdm_fs_model_prepare(model);
	return total;
}

/* ---------------------------------------------------------------- EM */

static double
sigmoid(double x)
{
	if (x >= 0)
		return 1.0 / (1.0 + exp(-x));
	else
	{
		double		e = exp(x);

		return e / (1.0 + e);
	}
}

/* New m of one role from the match mass s[1..L), floored; false if no mass. */
static bool
new_m(const double *s, int nlevels, double *m)
{
	double		sum = 0,
				norm = 0;

	for (int l = 1; l < nlevels; l++)
		sum += s[l];
	if (!(sum > 0))
		return false;
	for (int l = 1; l < nlevels; l++)
	{
		m[l] = s[l] / sum;
		if (m[l] < CDM_FS_PROB_FLOOR)
			m[l] = CDM_FS_PROB_FLOOR;
		norm += m[l];
	}
	for (int l = 1; l < nlevels; l++)
		m[l] /= norm;
	return true;
}

/*
 * One E and M step; returns the largest parameter change.  ln(m/u) per
 * role and level is tabulated first, so each pattern costs nroles lookups.
 */
static double
em_step(CdmFsModel *model, const uint64_t *patterns, const uint64_t *counts,
		size_t k, double total)
{
	double		lr[CDM_FS_MAX_ROLES][CDM_FS_MAX_LEVELS];
	double		s[CDM_FS_MAX_ROLES][CDM_FS_MAX_LEVELS];
	double		matches = 0,
				change,
				lambda;
	double		prior = log(model->lambda) - log1p(-model->lambda);

	memset(lr, 0, sizeof(lr));
	memset(s, 0, sizeof(s));
	for (int r = 0; r < model->nroles; r++)
		for (int l = 1; l < model->role[r].nlevels; l++)
			lr[r][l] = log(model->role[r].m[l]) - log(model->role[r].u[l]);
	for (size_t i = 0; i < k; i++)
	{
		uint64_t	p = patterns[i];
		double		x = prior;
		double		g;

		for (int r = 0; r < model->nroles; r++, p >>= 4)
			x += lr[r][p & 15];
		g = sigmoid(x) * (double) (counts ? counts[i] : 1);
		matches += g;
		p = patterns[i];
		for (int r = 0; r < model->nroles; r++, p >>= 4)
			s[r][p & 15] += g;	/* s[r][0] and levels >= nlevels: unused */
		if ((i + 1) % CDM_INTERRUPT_STRIDE == 0)
			CDM_CHECK_INTERRUPTS();
	}
	lambda = matches / total;
	if (lambda < CDM_FS_LAMBDA_MIN)
		lambda = CDM_FS_LAMBDA_MIN;
	if (lambda > CDM_FS_LAMBDA_MAX)
		lambda = CDM_FS_LAMBDA_MAX;
	change = fabs(lambda - model->lambda);
	model->lambda = lambda;
	for (int r = 0; r < model->nroles; r++)
	{
		CdmFsRole  *role = &model->role[r];
		double		m[CDM_FS_MAX_LEVELS];

		if (!new_m(s[r], role->nlevels, m))
			continue;
		for (int l = 1; l < role->nlevels; l++)
		{
			change = fmax(change, fabs(m[l] - role->m[l]));
			role->m[l] = m[l];
		}
	}
	return change;
}

int
cdm_fs_em(CdmFsModel *model, const uint64_t *patterns, const uint64_t *counts,
		  size_t k, int max_iter, double tol)
{
	double		total = 0;
	int			it = 0;

	if (!cdm_fs_model_prepare(model))
		return -1;
	for (size_t i = 0; i < k; i++)
		total += (double) (counts ? counts[i] : 1);
	if (!(total > 0))
		return 0;
	while (it < max_iter)
	{
		double		change;

		CDM_CHECK_INTERRUPTS();
		change = em_step(model, patterns, counts, k, total);
		it++;
		if (!(change >= tol))	/* NaN cannot happen, but would stop too */
			break;
	}
	cdm_fs_model_prepare(model);
	return it;
}
