/*
 * pairs.h - candidate pairs for a batch deduplication, by sorting.
 *
 * A batch run over a whole table does not look records up one by one: it
 * gives every record a few blocking values (say "family name's phonetic
 * code + given initial", "e-mail address", "date of birth + given code"),
 * sorts all (value, record) items once, and pairs the records that share a
 * value.  That is O(items log items) work however many records there are,
 * where one index search per record would be a million searches.
 *
 * Items: key = a 64-bit hash of the rule and its value (the caller mixes the
 * rule in, so rules never meet each other), sub = a secondary order inside
 * a group (e.g. a hash of the folded name, so that neighbours in a big group
 * look alike), rec = the record's index.  A record may give several items
 * for one rule (a name read both ways round).
 *
 * A group of g items yields every pair when g <= group_cap; a larger group
 * (a value shared by thousands: "J Smith", a dummy e-mail) yields each item
 * paired with the next window items in (sub, rec) order -- the sorted-
 * neighbourhood method -- so the number of pairs is at most
 * items * max(group_cap - 1, window): that bound is what keeps memory in
 * check.  Pairs are (a, b) with a < b packed as a << 32 | b, sorted and
 * distinct.
 */
#ifndef CDM_PAIRS_H
#define CDM_PAIRS_H

#include "cdm_core.h"

typedef struct CdmBlockItem
{
	uint64_t	key;
	uint32_t	sub;
	uint32_t	rec;
} CdmBlockItem;

typedef struct CdmBlockStats
{
	size_t		groups;			/* distinct keys with two items or more */
	size_t		big_groups;		/* of them, over group_cap (windowed) */
	size_t		largest;		/* items in the largest group */
} CdmBlockStats;

/*
 * Sort items by (key, sub) in place; tmp must hold n items.  (LSD radix
 * sort: linear in n, stable, no recursion.)  rec is not a sort key: items
 * of equal key and sub keep the caller's order, which is (key, sub, rec)
 * when items are added record by record, as every caller does.
 * (fuzz_pairs checks the sort against a stable sort by (key, sub); the
 * header used to promise (key, sub, rec) for any input order.)
 */
extern void cdm_block_sort(CdmBlockItem *items, size_t n, CdmBlockItem *tmp);

/*
 * Over sorted items: write the pairs into out (capacity cap) and return how
 * many there are, duplicates included; if that is more than cap, only cap
 * were written and the caller retries with the returned size.  stats may be
 * NULL.
 */
extern size_t cdm_block_pairs(const CdmBlockItem *items, size_t n,
							  uint32_t group_cap, uint32_t window,
							  uint64_t *out, size_t cap, CdmBlockStats *stats);

/*
 * Sort packed pairs and drop duplicates (and a == b); tmp must hold n
 * values.  Returns the number kept, at the start of pairs.
 */
extern size_t cdm_pairs_unique(uint64_t *pairs, size_t n, uint64_t *tmp);

#define CDM_PAIR(a, b)	(((uint64_t) (a) << 32) | (uint64_t) (b))
#define CDM_PAIR_A(p)	((uint32_t) ((p) >> 32))
#define CDM_PAIR_B(p)	((uint32_t) (p))

#endif							/* CDM_PAIRS_H */
