/*
 * damerau.c - true Damerau-Levenshtein (Lowrance-Wagner).
 */
#include "damerau.h"

#include "bits.h"
#include "charmap.h"

#include <string.h>

size_t
cdm_damerau_workspace(const cdm_char *a, size_t m, const cdm_char *b, size_t n)
{
	cdm_strip_affixes(&a, &m, &b, &n);
	if ((uint64_t) (m + 2) * (uint64_t) (n + 2) > (uint64_t) CDM_DAMERAU_MAX_CELLS)
		return 0;
	return (m + 2) * (n + 2) * sizeof(int32_t) + 8 + cdm_charmap_bytes(m) + 64;
}

int64_t
cdm_damerau_levenshtein(const cdm_char *a, size_t m, const cdm_char *b, size_t n,
						void *work)
{
	CdmCharMap	lastrow;		/* a's characters -> last row they were seen in */
	int32_t    *h;
	size_t		cols;
	int32_t		inf;

	cdm_strip_affixes(&a, &m, &b, &n);
	if (m == 0 || n == 0)
		return (int64_t) (m + n);
	if ((uint64_t) (m + 2) * (uint64_t) (n + 2) > (uint64_t) CDM_DAMERAU_MAX_CELLS)
		return -1;

	cols = n + 2;
	h = (int32_t *) work;
	/* the map follows the matrix, 8-byte aligned for its uint64 values */
	cdm_charmap_init(&lastrow, m, (char *) work + (((m + 2) * cols * sizeof(int32_t) + 7) & ~(size_t) 7));
	inf = (int32_t) (m + n);
#define H(i, j) h[(size_t) (i) * cols + (j)]
	H(0, 0) = inf;
	for (size_t i = 0; i <= m; i++)
	{
		H(i + 1, 0) = inf;
		H(i + 1, 1) = (int32_t) i;
	}
	for (size_t j = 0; j <= n; j++)
	{
		H(0, j + 1) = inf;
		H(1, j + 1) = (int32_t) j;
	}
	for (size_t i = 1; i <= m; i++)
	{
		size_t		db = 0;		/* last column in this row where a[i-1] matched */

		for (size_t j = 1; j <= n; j++)
		{
			size_t		k = (size_t) cdm_charmap_get(&lastrow, b[j - 1]);
			size_t		l = db;
			int32_t		cost = 1;
			int32_t		v;
			int32_t		t;

			if (a[i - 1] == b[j - 1])
			{
				cost = 0;
				db = j;
			}
			v = H(i, j) + cost;
			if ((t = H(i + 1, j) + 1) < v)
				v = t;
			if ((t = H(i, j + 1) + 1) < v)
				v = t;
			/* transpose a[k-1]..a[i-1] with b[l-1]..b[j-1], editing what lies between */
			t = H(k, l) + (int32_t) ((i - k - 1) + 1 + (j - l - 1));
			if (t < v)
				v = t;
			H(i + 1, j + 1) = v;
		}
		*cdm_charmap_slot(&lastrow, a[i - 1]) = i;
		if ((i & 15) == 15)
			CDM_CHECK_INTERRUPTS();
	}
	return H(m + 1, n + 1);
#undef H
}
