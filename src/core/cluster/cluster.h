/*
 * cluster.h - turning scored pairs into clusters without chaining.
 *
 * Plain connected components over "probability >= threshold" edges chain:
 * a father and his son (same name, same address, dobs 30 years apart)
 * end up in one cluster as soon as some third record links weakly to
 * both.  cdm_cluster is a greedy, guarded union-find instead:
 *
 *   1. edges are sorted by probability descending, ties by (a, b) with
 *      a < b (each edge normalised so), so the result does not depend on
 *      the order the caller produced them in;
 *   2. each edge joins its two clusters unless that would put into one
 *      cluster two records whose dobs clearly differ
 *      (cdm_match_dob_conflict: both present, not equal, not a
 *      day/month swap, not a year off by one, not one digit off, and
 *      CDM_DOB_CONFLICT_YEARS (15) years or more apart) or two
 *      different non-zero unique-identifier hashes (national id,
 *      customer number from a trusted source...).
 *
 * Strong evidence is thus applied first and a weak link cannot overrule
 * it.  To keep each check cheap, every cluster root carries the set of its
 * distinct dobs (at most CDM_CLUSTER_MAX_DOBS) and its one unique id (a
 * valid cluster never holds two).  A merge that would give a cluster more
 * than CDM_CLUSTER_MAX_DOBS distinct dobs is refused: conservative (the
 * clusters stay apart, never a wrong fusion) and memory stays fixed.  A
 * person's records rarely carry more than a few readings of a dob (FEBRL's
 * six-record clusters exceeded 4).
 *
 * Not guarded: records with neither dob nor unique id (twins with the
 * same dob and no id can still be chained through a third record that
 * links to both above the threshold -- keep the threshold high, or give
 * the skin a unique id).
 */
#ifndef CDM_CLUSTER_H
#define CDM_CLUSTER_H

#include "cdm_core.h"

#define CDM_CLUSTER_MAX_DOBS 8

/* A scored pair of record indices (0..n-1); a and b in either order. */
typedef struct CdmClusterEdge
{
	uint32_t	a;
	uint32_t	b;
	double		p;				/* match probability */
} CdmClusterEdge;

/* Bytes of workspace cdm_cluster needs for n records (56 n), 8-byte aligned. */
extern size_t cdm_cluster_workspace(size_t n);

/*
 * Cluster n records (n < 2^32 - 1).
 *   edges[0..nedges): normalised (a < b) and SORTED IN PLACE by the call;
 *     edges with p < threshold (or p NaN) and self-loops are ignored.
 *   dob[i]: y*10000+m*100+d, CDM_DOB_MISSING (0) when unknown; NULL = no dobs.
 *   uid[i]: a unique-identifier hash, 0 = none; NULL = no ids.
 *   rep[i] (out): the smallest record index of i's cluster, so the
 *     skin's cluster id (the smallest id when records are ordered by id)
 *     is deterministic.
 *   best[i] (out, may be NULL): the highest probability of an accepted
 *     edge touching i (an edge is accepted when it merges two clusters or
 *     links two records already in one cluster), 0 for a singleton.
 *   work: cdm_cluster_workspace(n) bytes.
 * Returns the number of merges (n minus the number of clusters), or -1
 * when an edge names a record >= n (nothing is written to rep then).
 * O(E log E) for the sort plus O(E alpha(n)) for the unions, each guard
 * check at most CDM_CLUSTER_MAX_DOBS^2 dob comparisons; calls
 * CDM_CHECK_INTERRUPTS() every CDM_INTERRUPT_STRIDE edges and elements.
 */
extern int64_t cdm_cluster(size_t n, CdmClusterEdge *edges, size_t nedges,
						   double threshold, const int32_t *dob,
						   const uint64_t *uid, uint32_t *rep, double *best,
						   void *work);

/* The order the edges are processed in: <0 when x comes first. */
extern int	cdm_cluster_edge_cmp(const CdmClusterEdge *x, const CdmClusterEdge *y);

#endif							/* CDM_CLUSTER_H */
