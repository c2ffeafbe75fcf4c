/*
 * charmap.h - a tiny open-addressing map from code points to 64-bit masks
 * or small integers, living in caller-provided memory.
 *
 * The bit-parallel algorithms need "which positions of the pattern hold
 * character c" for any Unicode c.  ASCII goes through a direct table; other
 * code points through this map, sized to at least twice the entries.
 */
#ifndef CDM_CHARMAP_H
#define CDM_CHARMAP_H

#include "cdm_core.h"

typedef struct CdmCharMap
{
	uint64_t	ascii[128];
	uint32_t	mask;			/* slots - 1, slots a power of two */
	cdm_char   *keys;			/* key + 1; 0 marks an empty slot */
	uint64_t   *vals;
} CdmCharMap;

/* Slots for up to n distinct non-ASCII keys (power of two, >= 2n, >= 8). */
static inline uint32_t
cdm_charmap_slots(size_t n)
{
	uint32_t	s = 8;

	while (s < 2 * n)
		s <<= 1;
	return s;
}

/* Bytes a map with room for n non-ASCII keys occupies, beyond the struct. */
static inline size_t
cdm_charmap_bytes(size_t n)
{
	return (size_t) cdm_charmap_slots(n) * (sizeof(cdm_char) + sizeof(uint64_t));
}

extern void cdm_charmap_init(CdmCharMap *map, size_t n, void *mem);
extern uint64_t *cdm_charmap_slot(CdmCharMap *map, cdm_char c);

static inline uint64_t
cdm_charmap_get(const CdmCharMap *map, cdm_char c)
{
	uint32_t	h;

	if (c < 128)
		return map->ascii[c];
	h = (c * 2654435761u) & map->mask;
	for (;;)
	{
		if (map->keys[h] == c + 1)
			return map->vals[h];
		if (map->keys[h] == 0)
			return 0;
		h = (h + 1) & map->mask;
	}
}

#endif							/* CDM_CHARMAP_H */
