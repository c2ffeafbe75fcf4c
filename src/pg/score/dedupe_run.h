/*
 * dedupe_run.h - a finished cdm.dedupe remembered in cdm.dedupe_run, so the
 * duplicate rate of a table (cdm.quality) and its trend are known later.
 */
#ifndef CDM_DEDUPE_RUN_H
#define CDM_DEDUPE_RUN_H

#include "postgres.h"

/* Record a run (nothing in a read-only transaction or on a standby). */
extern void cdm_dedupe_run_record(Oid relid, double threshold, const char *model,
								  size_t records, size_t clusters);

#endif							/* CDM_DEDUPE_RUN_H */
