/*
 * active_rule.h - one team's definition of "active", compiled, evaluated
 * over an entity's timeline at a point in time.
 *
 * A definition (cdm.define_active) says which milestones must all have
 * happened, at least one of which, which none of, and which count as
 * activity, within what window before the moment asked about.  The SQL
 * layer checks names and compiles the rule into a flat program (a bytea in
 * cdm.active_definition); the skin hands the program and a timeline here.
 */
#ifndef CDM_ACTIVE_RULE_H
#define CDM_ACTIVE_RULE_H

#include "timeline.h"

#define CDM_ACTIVE_MAX_LIST 64	/* milestones per list (all, any, none, activity) */

enum
{
	CDM_ACTIVE_ALL = 0,
	CDM_ACTIVE_ANY,
	CDM_ACTIVE_NONE,
	CDM_ACTIVE_ACTIVITY,
	CDM_ACTIVE_NLISTS
};

typedef struct CdmActiveRule
{
	int32_t		scope;			/* 0 = every scope */
	bool		activity_required;	/* "activity" or "activity_within" given */
	bool		has_window;		/* "activity_within" given */
	int32_t		win_months;		/* the window, as a PostgreSQL interval */
	int32_t		win_days;
	int64_t		win_usecs;
	int32_t		n[CDM_ACTIVE_NLISTS];
	int32_t		ids[CDM_ACTIVE_NLISTS][CDM_ACTIVE_MAX_LIST];
} CdmActiveRule;

/* Where each condition stood at as_of (CDM_NEVER: it never happened). */
#define CDM_NEVER INT64_MIN
typedef struct CdmActiveWhy
{
	int64_t		first[CDM_ACTIVE_NLISTS][CDM_ACTIVE_MAX_LIST];	/* first occurrence */
	int64_t		last_activity;	/* latest activity at or before as_of */
	bool		all_met,
				any_met,
				none_met,		/* true: none of "none" happened */
				activity_met;
} CdmActiveWhy;

/* Four answers marketing starts from, per entity and scope. */
typedef enum CdmCustomerStatus
{
	CDM_NEW_PROSPECT = 0,		/* no milestone in the scope */
	CDM_KNOWN_PROSPECT = 1,		/* milestones in the scope, never qualified */
	CDM_FORMER_CUSTOMER = 2,	/* qualified once, not active now */
	CDM_CUSTOMER = 3			/* active now */
} CdmCustomerStatus;

/*
 * The program: a flat little-endian-agnostic image of CdmActiveRule (native
 * byte order: it never leaves the server).  cdm_active_program_size gives
 * the bytes a rule needs; write fills them; read checks an image (a corrupt
 * bytea must not crash) and returns false when it is not one.
 */
extern size_t cdm_active_program_size(const CdmActiveRule *r);
extern void cdm_active_program_write(const CdmActiveRule *r, unsigned char *out);
extern bool cdm_active_program_read(const unsigned char *in, size_t len, CdmActiveRule *r);

/*
 * Is the entity active at as_of?  Only events at or before as_of count, in
 * the rule's scope; activity counts when after since (as_of minus the
 * window, computed by the caller, who knows the calendar).  why, when not
 * NULL, is filled with what each condition found.
 */
extern bool cdm_active_eval(const CdmActiveRule *r, const CdmEvent *ev, size_t n,
							int64_t as_of, int64_t since, CdmActiveWhy *why);

/* The four-way status in scope (0 = the rule's own scope) at as_of. */
extern CdmCustomerStatus cdm_active_status(const CdmActiveRule *r, int32_t scope,
										   const CdmEvent *ev, size_t n,
										   int64_t as_of, int64_t since);

#endif							/* CDM_ACTIVE_RULE_H */
