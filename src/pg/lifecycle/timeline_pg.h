/*
 * timeline_pg.h - reading and writing entity timelines (bytea) in the skin.
 */
#ifndef CDM_TIMELINE_PG_H
#define CDM_TIMELINE_PG_H

#include "postgres.h"

#include "utils/memutils.h"

#include "timeline.h"

/* Timelines past this many events are refused (54000): 1 GB bytea, with margin. */
#define CDM_TIMELINE_MAX_EVENTS ((size_t) (MaxAllocSize / sizeof(CdmEvent)) - 1)

/*
 * The events of a timeline bytea, checked (a hand-made or damaged bytea is
 * an error, not a crash) and aligned: a palloc'd copy, or *n = 0.
 */
extern CdmEvent *cdm_timeline_events(bytea *b, size_t *n);

/* A bytea holding n events. */
extern bytea *cdm_timeline_bytea(const CdmEvent *ev, size_t n);

#endif							/* CDM_TIMELINE_PG_H */
