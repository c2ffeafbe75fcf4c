/*
 * match_block.h - candidate pairs of a batch deduplication.
 */
#ifndef CDM_MATCH_BLOCK_H
#define CDM_MATCH_BLOCK_H

#include "postgres.h"

#include "match_record.h"
#include "pairs.h"

/*
 * Blocks of up to this many records give every pair; bigger ones (a
 * common name in a million records) pair each record with its next
 * CDM_MATCH_WINDOW neighbours in name order.  So a record yields at most
 * about (rules it has) x max(cap, window) candidates.
 */
#define CDM_MATCH_GROUP_CAP 50
#define CDM_MATCH_WINDOW	20

/* The same for broad rules (a name's sound alone or with a city). */
#define CDM_MATCH_BROAD_CAP 16
#define CDM_MATCH_BROAD_WINDOW 8

/*
 * The distinct candidate pairs (packed, a < b, sorted) of n prepared
 * records (uid: their national id hashes, 0 = none; NULL = no ids), palloc'd in the current context; *npairs is their number.
 */
extern uint64_t *cdm_match_candidate_pairs(const CdmMatchRecord *rec, const uint64_t *uid,
										   size_t n, size_t *npairs, CdmBlockStats *stats);

/*
 * The distinct blocking values of one record (what cdm_match_candidate_pairs
 * sorts), for a store that finds candidates by exact lookups; writes at most
 * cap, returns how many there are.
 */
extern size_t cdm_match_record_keys(const CdmMatchRecord *rec, uint64_t uid,
									uint64_t *out, size_t cap);

#endif							/* CDM_MATCH_BLOCK_H */
