/*
 * model_store.h - match models stored in cdm.match_model and reused.
 */
#ifndef CDM_MODEL_STORE_H
#define CDM_MODEL_STORE_H

#include "postgres.h"

#include "fs_model.h"

typedef struct CdmModelStats
{
	size_t		records;
	size_t		candidate_pairs;
	size_t		random_pairs;
	int			em_iterations;
} CdmModelStats;

/*
 * Load the model called name.  Missing: false when missing_ok, else ERROR
 * 42704 with a hint; a stored text that is not a valid model: ERROR 22023.
 */
extern bool cdm_model_load(const char *name, CdmFsModel *model, bool missing_ok);

/*
 * model as cdm_model_load reads it back after cdm_model_save (through its
 * text form), without reading the table: the caller's snapshot may not see
 * a model saved in the same statement.
 */
extern void cdm_model_as_stored(CdmFsModel *model);

/* Insert or replace the model called name. */
extern void cdm_model_save(const char *name, const CdmFsModel *model,
						   const char *trained_on, const CdmModelStats *st);

#endif							/* CDM_MODEL_STORE_H */
