/*
 * charmap.c - code point -> mask map for the bit-parallel algorithms.
 */
#include "charmap.h"

#include <string.h>

void
cdm_charmap_init(CdmCharMap *map, size_t n, void *mem)
{
	uint32_t	slots = cdm_charmap_slots(n);

	memset(map->ascii, 0, sizeof(map->ascii));
	map->mask = slots - 1;
	map->hashed = false;
	map->keys = (cdm_char *) mem;
	map->vals = (uint64_t *) ((char *) mem + (size_t) slots * sizeof(cdm_char));
}


/* The first non-ASCII key: only now is the hash part worth clearing. */
void
cdm_charmap_start_hash(CdmCharMap *map)
{
	memset(map->keys, 0, (size_t) (map->mask + 1) * sizeof(cdm_char));
	map->hashed = true;
}
