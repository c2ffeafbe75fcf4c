/*
 * cdm.c - module entry: registers the core's interrupt hook.
 */
#include "postgres.h"

#include "fmgr.h"
#include "miscadmin.h"

#include "cdm_core.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

/* The core's long loops call this: cancellation reaches them within a stride. */
static void
cdm_pg_check_interrupts(void)
{
	CHECK_FOR_INTERRUPTS();
}

void
_PG_init(void)
{
	cdm_check_interrupts = cdm_pg_check_interrupts;
}
