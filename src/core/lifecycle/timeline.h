/*
 * timeline.h - an entity's dated milestones as one compact sorted array.
 *
 * Counting "active" customers for a million entities at a point in time
 * must not regroup ten million milestone rows per query: each live entity
 * keeps its milestones in one cdm.entity_timeline row, an array of these
 * events sorted by (at, milestone, scope).  Rules (timeline.c) and stage
 * derivation (stage_model.c) read it.
 */
#ifndef CDM_TIMELINE_H
#define CDM_TIMELINE_H

#include "cdm_core.h"

typedef struct CdmEvent
{
	int64_t		at;				/* PostgreSQL TimestampTz: µs since 2000-01-01 UTC */
	int32_t		milestone;		/* cdm.milestone_type.id, > 0 */
	int32_t		scope;			/* cdm.lifecycle_scope.id; 0 = unscoped */
} CdmEvent;

/* Does an event of scope ev_scope count for a query of scope q (0 = all)? */
static inline bool
cdm_event_in_scope(int32_t ev_scope, int32_t q)
{
	return q == 0 || ev_scope == 0 || ev_scope == q;
}



/* Order of events in a timeline: (at, milestone, scope). */
extern int	cdm_event_cmp(const CdmEvent *a, const CdmEvent *b);

/* Sort n events in place and drop exact repeats; returns the new count. */
extern size_t cdm_timeline_sort(CdmEvent *ev, size_t n);

/*
 * Merge two sorted timelines into out (room for na + nb), dropping events
 * present in both; returns the count written.
 */
extern size_t cdm_timeline_merge(const CdmEvent *a, size_t na,
								 const CdmEvent *b, size_t nb, CdmEvent *out);

/* Is ev[0..n) sorted without repeats, every milestone > 0, scope >= 0? */
extern bool cdm_timeline_valid(const CdmEvent *ev, size_t n);

#endif							/* CDM_TIMELINE_H */
