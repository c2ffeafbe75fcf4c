/*
 * lifecycle_pg.h - the cdm.lifecycle value and the stage models behind it.
 *
 * A cdm.lifecycle is self-contained: the stage's rank (for ordering without
 * a model lookup), the entry time, and the model and stage names (so output
 * needs no lookup either).  Stage models come from the table
 * cdm.stage_model by name, compiled (stage_model.h), cached per call site.
 */
#ifndef CDM_LIFECYCLE_PG_H
#define CDM_LIFECYCLE_PG_H

#include "postgres.h"

#include "fmgr.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

#include "stage_model.h"

/*
 * On disk, after the varlena header: rank int16, model_len uint8,
 * stage_len uint8, entered int64 (read with memcpy: the value is only
 * int4-aligned), the model name, the stage name (no terminators).  Every
 * byte is determined by the four fields, so equal values hash alike.
 */
typedef struct CdmLifecycle
{
	int32		vl_len_;
	int16		rank;
	uint8		model_len;
	uint8		stage_len;
	char		data[FLEXIBLE_ARRAY_MEMBER];	/* entered, model, stage */
} CdmLifecycle;

#define PG_GETARG_CDM_LIFECYCLE(n) ((CdmLifecycle *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)))

static inline TimestampTz
cdm_lc_entered(const CdmLifecycle *v)
{
	TimestampTz t;

	memcpy(&t, v->data, sizeof(t));
	return t;
}

static inline const char *
cdm_lc_model(const CdmLifecycle *v)
{
	return v->data + sizeof(TimestampTz);
}

static inline const char *
cdm_lc_stage(const CdmLifecycle *v)
{
	return v->data + sizeof(TimestampTz) + v->model_len;
}

extern CdmLifecycle *cdm_lc_make(int rank, TimestampTz entered,
								 const char *model, size_t model_len,
								 const char *stage, size_t stage_len);

/* A timestamptz in ISO form (session time zone, whatever DateStyle); buf >= MAXDATELEN + 1. */
extern void cdm_timestamptz_iso(TimestampTz t, char *buf);

/* ------------------------------------------------------------ stage models */

/*
 * The compiled model of that name, from cdm.stage_model, cached in
 * flinfo->fn_extra (flinfo may be NULL: no cache).  An undeclared model is
 * an error (22023) naming it; caller names the SQL function for messages.
 */
extern const CdmStageModel *cdm_stage_model_get(FmgrInfo *flinfo, const char *caller,
												const char *name, size_t len);

/* Stage index of a name in a model, or an error (22023) listing the stages. */
extern int	cdm_stage_resolve(const CdmStageModel *m, const char *caller,
							  const char *model, size_t model_len,
							  const char *stage, size_t stage_len);

/* The stage names of a bit mask, "a, b, c" (palloc'd; "" for none). */
extern char *cdm_stage_list(const CdmStageModel *m, uint32 mask);

/* All the stages of a model. */
static inline uint32
cdm_stage_all(const CdmStageModel *m)
{
	return m->nstages >= 32 ? ~(uint32) 0 : ((uint32) 1 << m->nstages) - 1;
}

#endif							/* CDM_LIFECYCLE_PG_H */
