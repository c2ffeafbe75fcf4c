/*
 * key_sig.h - signatures of sets of keys, for the GiST index over cdm.key.
 *
 * An inner GiST entry stands for every key below it with:
 *   - a bit signature of siglen bytes: bit (token mod 8*siglen) is set for
 *     every token of every key below (a one-hash Bloom filter);
 *   - the mask of fields present in some key below;
 *   - per field, the fewest and most tokens a key below has in it;
 *   - whether an empty key is below.
 * From these, cdm_sig_lower_bound gives a distance no key below can beat
 * (the proof is in key_sig.c), so nearest-neighbour search and the
 * threshold test prune subtrees without ever missing a key.
 */
#ifndef CDM_KEY_SIG_H
#define CDM_KEY_SIG_H

#include "key.h"

#define CDM_SIG_HAS_EMPTY 0x01

typedef struct CdmKeySig
{
	uint8_t		flags;
	uint8_t		mask;			/* bit f: field f present below */
	uint8_t		minc[CDM_KEY_NFIELDS];	/* fewest tokens in field f (mask only) */
	uint8_t		maxc[CDM_KEY_NFIELDS];	/* most tokens in field f */
	uint8_t		pad[2];
	uint8_t		bits[];			/* siglen bytes */
} CdmKeySig;

#define CDM_SIG_HEAD		offsetof(CdmKeySig, bits)
#define CDM_SIG_SIZE(siglen) (CDM_SIG_HEAD + (size_t) (siglen))

/* The empty signature (stands for no key). */
extern void cdm_sig_clear(CdmKeySig *s, int siglen);

/* Add one key / every key below another signature. */
extern void cdm_sig_add_key(CdmKeySig *s, int siglen, const cdm_token *tok, size_t n);
extern void cdm_sig_add_sig(CdmKeySig *s, const CdmKeySig *o, int siglen);

/* Bits set, and bits that differ (the penalty and picksplit measure). */
extern int	cdm_sig_popcount(const CdmKeySig *s, int siglen);
extern int	cdm_sig_hamming(const CdmKeySig *a, const CdmKeySig *b, int siglen);

#define CDM_QUERY_FILTER_BITS 4096

/* A query prepared once per scan: bit positions and field counts. */
typedef struct CdmKeyQuery
{
	const cdm_token *tok;
	size_t		n;
	uint32_t   *bitpos;			/* n entries, caller's memory */
	uint32_t	count[CDM_KEY_NFIELDS];
	int			field;			/* the query's only field, or -1 */
	uint64_t	filter[CDM_QUERY_FILTER_BITS / 64];	/* bit (token mod size) per token */
} CdmKeyQuery;

extern void cdm_sig_query_prepare(CdmKeyQuery *q, const cdm_token *tok, size_t n,
								  int siglen, uint32_t *bitpos);

/*
 * cdm_key_distance(query, k), bit for bit, faster for one-field keys (the
 * leaf test of a nearest-neighbour scan): each token of k is looked up in
 * the query's filter and, when its bit is set, in the query's tokens.
 */
extern double cdm_sig_key_distance(const CdmKeyQuery *q, const cdm_token *tok, size_t n);

/*
 * A lower bound of cdm_key_distance(query, k) over every key k the
 * signature stands for: 1 when no key below can share a field with the
 * query.
 */
extern double cdm_sig_lower_bound(const CdmKeySig *s, const CdmKeyQuery *q);

#endif							/* CDM_KEY_SIG_H */
