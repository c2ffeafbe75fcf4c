/*
 * osa.c - optimal string alignment distance (restricted Damerau).
 */
#include "damerau.h"

#include "bits.h"
#include "charmap.h"

#include <string.h>

#define WORD_BITS 64

size_t
cdm_osa_workspace(size_t m, size_t n)
{
	size_t		dp = 3 * ((m > n ? m : n) + 1) * sizeof(int64_t);
	size_t		bits = cdm_charmap_bytes(WORD_BITS);

	return (dp > bits ? dp : bits) + 64;
}

/* Hyyrö 2003: Myers' recurrence plus a transposition term in D0. */
static int64_t
osa_one_word(const cdm_char *p, size_t m, const cdm_char *t, size_t n, void *work)
{
	CdmCharMap	peq;
	uint64_t	vp = ~UINT64_C(0);
	uint64_t	vn = 0;
	uint64_t	d0 = 0;
	uint64_t	pm_prev = 0;
	uint64_t	last = UINT64_C(1) << (m - 1);
	int64_t		score = (int64_t) m;

	cdm_charmap_init_for(&peq, m, work, p, m, t, n);
	for (size_t i = 0; i < m; i++)
		*cdm_charmap_slot(&peq, p[i]) |= UINT64_C(1) << i;

	/* interrupts are checked between chunks: nothing extra in the inner loop */
	for (size_t start = 0; start < n; start += CDM_INTERRUPT_STRIDE)
	{
		size_t		end = n - start > CDM_INTERRUPT_STRIDE ? start + CDM_INTERRUPT_STRIDE : n;

		if (start > 0)
			CDM_CHECK_INTERRUPTS();
		for (size_t j = start; j < end; j++)
		{
			uint64_t	pm = cdm_charmap_get(&peq, t[j]);
			uint64_t	tr = (((~d0) & pm) << 1) & pm_prev;
			uint64_t	hp;
			uint64_t	hn;

			d0 = (((pm & vp) + vp) ^ vp) | pm | vn | tr;
			hp = vn | ~(d0 | vp);
			hn = vp & d0;
			score += (hp & last) != 0;
			score -= (hn & last) != 0;
			hp = (hp << 1) | 1;
			hn <<= 1;
			vp = hn | ~(d0 | hp);
			vn = hp & d0;
			pm_prev = pm;
		}
	}
	return score;
}

/* The textbook recurrence over three rows: linear memory for any length. */
static int64_t
osa_rows(const cdm_char *a, size_t m, const cdm_char *b, size_t n, void *work)
{
	int64_t    *r2 = (int64_t *) work;	/* row i-2 */
	int64_t    *r1 = r2 + n + 1;	/* row i-1 */
	int64_t    *r0 = r1 + n + 1;	/* row i */

	for (size_t j = 0; j <= n; j++)
		r1[j] = (int64_t) j;
	for (size_t i = 1; i <= m; i++)
	{
		int64_t    *tmp;

		r0[0] = (int64_t) i;
		for (size_t j = 1; j <= n; j++)
		{
			int64_t		cost = a[i - 1] != b[j - 1];
			int64_t		v = r1[j - 1] + cost;

			if (r1[j] + 1 < v)
				v = r1[j] + 1;
			if (r0[j - 1] + 1 < v)
				v = r0[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
				r2[j - 2] + 1 < v)
				v = r2[j - 2] + 1;
			r0[j] = v;
		}
		tmp = r2;
		r2 = r1;
		r1 = r0;
		r0 = tmp;
		if ((i & 15) == 15)
			CDM_CHECK_INTERRUPTS();
	}
	return r1[n];
}

int64_t
cdm_osa_distance(const cdm_char *a, size_t m, const cdm_char *b, size_t n, void *work)
{
	cdm_strip_affixes(&a, &m, &b, &n);
	cdm_shorter_first(&a, &m, &b, &n);
	if (m == 0)
		return (int64_t) n;
	if (m <= WORD_BITS)
		return osa_one_word(a, m, b, n, work);
	return osa_rows(a, m, b, n, work);
}
