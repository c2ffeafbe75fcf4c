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
	map->keys = (cdm_char *) mem;
	map->vals = (uint64_t *) ((char *) mem + (size_t) slots * sizeof(cdm_char));
	memset(map->keys, 0, (size_t) slots * sizeof(cdm_char));
}

/* The value slot for c, created (zeroed) if absent. */
uint64_t *
cdm_charmap_slot(CdmCharMap *map, cdm_char c)
{
	uint32_t	h;

	if (c < 128)
		return &map->ascii[c];
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
