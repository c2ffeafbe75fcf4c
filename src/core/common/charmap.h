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
	uint64_t	ascii[128];		/* see the init functions for which entries are valid */
	uint32_t	mask;			/* slots - 1, slots a power of two */
	bool		hashed;			/* keys[] cleared yet (only once a non-ASCII key arrives) */
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

/* An empty map for up to n non-ASCII keys; every lookup is valid (clears 1 KB). */
extern void cdm_charmap_init(CdmCharMap *map, size_t n, void *mem);

/*
 * An empty map whose keys will come from p and whose lookups will come from
 * t: clears only the ASCII entries those two strings touch, which for short
 * strings is far cheaper than clearing all 128.
 */
static inline void
cdm_charmap_init_for(CdmCharMap *map, size_t nkeys, void *mem,
					 const cdm_char *p, size_t m, const cdm_char *t, size_t n)
{
	uint32_t	slots = cdm_charmap_slots(nkeys);

	map->mask = slots - 1;
	map->hashed = false;
	map->keys = (cdm_char *) mem;
	map->vals = (uint64_t *) ((char *) mem + (size_t) slots * sizeof(cdm_char));
	for (size_t i = 0; i < m; i++)
		map->ascii[p[i] & 127] = 0;
	for (size_t j = 0; j < n; j++)
		map->ascii[t[j] & 127] = 0;
}
extern void cdm_charmap_start_hash(CdmCharMap *map);

static inline uint64_t
cdm_charmap_get(const CdmCharMap *map, cdm_char c)
{
	uint32_t	h;

	if (c < 128)
	{
		return map->ascii[c];
	}
	if (!map->hashed)
		return 0;
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

/* The value slot for c, created (zeroed) if absent. */
static inline uint64_t *
cdm_charmap_slot(CdmCharMap *map, cdm_char c)
{
	uint32_t	h;

	if (c < 128)
	{
		return &map->ascii[c];
	}
	if (!map->hashed)
		cdm_charmap_start_hash(map);
	h = (c * 2654435761u) & map->mask;
	while (map->keys[h] != 0 && map->keys[h] != c + 1)
		h = (h + 1) & map->mask;
	if (map->keys[h] == 0)
	{
		map->keys[h] = c + 1;
		map->vals[h] = 0;
	}
	return &map->vals[h];
}

#endif							/* CDM_CHARMAP_H */
