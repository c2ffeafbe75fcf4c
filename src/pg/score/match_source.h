/*
 * match_source.h - a table or view of customer records read by cdm's role
 * names (DESIGN.md section 4) into prepared match records.
 */
#ifndef CDM_MATCH_SOURCE_H
#define CDM_MATCH_SOURCE_H

#include "postgres.h"

#include "access/attnum.h"
#include "utils/jsonb.h"

#include "match_record.h"

/* Source columns by role; the first ones are compared, the rest are kept. */
typedef enum SourceRole
{
	SRC_ID = 0,
	SRC_GIVEN_NAME,
	SRC_FAMILY_NAME,
	SRC_FULL_NAME,
	SRC_DOB,
	SRC_EMAIL,
	SRC_PHONE,
	SRC_ADDRESS,
	SRC_CITY,
	SRC_POSTCODE,
	SRC_COUNTRY,
	SRC_ORGANISATION_NAME,
	SRC_DOMAIN,
	SRC_NATIONAL_ID,
	SRC_NROLES
} SourceRole;

extern const char *const cdm_source_role_names[SRC_NROLES];

/* Which roles a relation has (attribute numbers, 0 = absent). */
typedef struct MatchSource
{
	Oid			relid;
	char	   *relname;		/* qualified and quoted, for SQL */
	char	   *display;		/* for messages */
	AttrNumber	att[SRC_NROLES];
} MatchSource;

/*
 * Look the roles up; ERROR (42703) without an id column, (42804) for a role
 * of the wrong type, naming the column and the expected type.
 */
extern void cdm_source_open(Oid relid, MatchSource *src);

/* The prepared records of a source, ordered by id (C collation). */
typedef struct MatchRecords
{
	size_t		n;
	char	  **id;				/* NUL-terminated, server encoding */
	CdmMatchRecord *rec;
	uint64_t   *uid;			/* hash of the national_id, 0 = none */
	MemoryContext cxt;			/* everything above lives here */
	size_t		bytes;			/* arena bytes used, for the report */
} MatchRecords;

/*
 * Read every row, normalise each role (fold names, parse full_name when given and family
 * are absent, e-mail and phone normalisation, address normalisation, legal
 * forms out of organisation names) and
 * set the name term frequencies.  ERROR (23505) on a duplicate id.
 * Memory: about 4 bytes per character of each compared value plus 200
 * bytes a record, in a context of its own under the current one.
 */
extern void cdm_source_read(const MatchSource *src, MatchRecords *out);

/*
 * One record from a jsonb object of role name -> value (strings; dob as a
 * date string; numbers taken as their text), prepared in the current
 * memory context; *uid gets the national id hash (0 = none).  ERROR 22023
 * when j is not an object, 22007 for a dob that is not a date.
 */
extern void cdm_record_from_jsonb(Jsonb *j, CdmMatchRecord *r, uint64_t *uid);

/* A JSON string of nothing but spaces (btrim's blank): the store counts it as missing. */
extern bool cdm_jsonb_blank(const JsonbValue *v);

/*
 * The same, blank_missing: a string of nothing but spaces counts as missing,
 * as a JSON null does (the store's rule: a source writing "" does not know).
 */
extern void cdm_record_from_jsonb_ext(Jsonb *j, CdmMatchRecord *r, uint64_t *uid,
									  bool blank_missing);

/*
 * The same with the phone given as the matcher reads it (phone: its digits,
 * NULL or empty for none) instead of read from j: a store keeps it per
 * record, so a candidate's phone is not parsed again at every ingest.
 */
extern void cdm_record_from_jsonb_phone(Jsonb *j, CdmMatchRecord *r, uint64_t *uid,
										bool blank_missing, const text *phone);

/* The phone of j as the matcher reads it (with its country's region), or NULL. */
extern char *cdm_record_phone_digits(Jsonb *j, bool blank_missing);

/* Index of a record by id (binary search), or -1. */
extern ptrdiff_t cdm_source_find(const MatchRecords *recs, const char *id);

/* A role's value as text for messages and explain: palloc'd, or NULL. */
extern char *cdm_source_describe(const MatchRecords *recs, size_t i, int role);

#endif							/* CDM_MATCH_SOURCE_H */
