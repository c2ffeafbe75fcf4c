/*
 * hamming.c - Hamming distance (Hamming 1950): substitutions only.
 */
#include "hamming.h"

int64_t
cdm_hamming(const cdm_char *a, size_t m, const cdm_char *b, size_t n)
{
	int64_t		d = 0;

	/* Unequal lengths have no Hamming distance; padding them would invent one. */
	if (m != n)
		return -1;
	for (size_t i = 0; i < m; i++)
	{
		d += a[i] != b[i];
		if ((i & 0xFFFF) == 0xFFFF)
			CDM_CHECK_INTERRUPTS();
	}
	return d;
}
