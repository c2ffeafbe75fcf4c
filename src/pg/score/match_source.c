/*
 * match_source.c - reading a customer table by role names into prepared
 * match records (see match_source.h).
 */
#include "postgres.h"

#include "access/detoast.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/jsonb.h"
#include "utils/date.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "address.h"
#include "country.h"
#include "email.h"
#include "fold.h"
#include "fold_pg.h"
#include "hash.h"
#include "match_source.h"
#include "names_pg.h"
#include "org_name_pg.h"
#include "pairs.h"
#include "pg_text.h"
#include "phone.h"
#include "utf8.h"

const char *const cdm_source_role_names[SRC_NROLES] = {
	"id", "given_name", "family_name", "full_name", "dob", "email", "phone",
	"address", "city", "postcode", "country", "organisation_name", "domain", "national_id"
};

/* ------------------------------------------------------------ roles */

static bool
is_string_type(Oid typid)
{
	char		category;
	bool		preferred;

	get_type_category_preferred(getBaseType(typid), &category, &preferred);
	return category == TYPCATEGORY_STRING;
}

void
cdm_source_open(Oid relid, MatchSource *src)
{
	char	   *nsp = get_namespace_name(get_rel_namespace(relid));
	char	   *rel = get_rel_name(relid);

	if (rel == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation with OID %u does not exist", relid)));
	src->relid = relid;
	src->relname = quote_qualified_identifier(nsp, rel);
	src->display = src->relname;
	for (int r = 0; r < SRC_NROLES; r++)
	{
		AttrNumber	att = get_attnum(relid, cdm_source_role_names[r]);
		Oid			typid;
		bool		ok;
		const char *want;

		src->att[r] = att > 0 ? att : 0;
		if (src->att[r] == 0)
			continue;
		typid = get_atttype(relid, att);
		if (r == SRC_ID)
			continue;			/* any type: compared as text */
		if (r == SRC_DOB)
		{
			ok = getBaseType(typid) == DATEOID;
			want = "date";
		}
		else
		{
			ok = is_string_type(typid);
			want = "text";
		}
		if (!ok)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("column \"%s\" of relation %s is of type %s, but the role %s needs %s",
							cdm_source_role_names[r], src->display,
							format_type_be(typid), cdm_source_role_names[r], want),
					 errhint("Expose it through a view with the right type, e.g. %s::%s AS %s, "
							 "or under another name to leave it out.",
							 cdm_source_role_names[r], want, cdm_source_role_names[r])));
	}
	if (src->att[SRC_ID] == 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("relation %s has no column \"id\"", src->display),
				 errhint("cdm reads records by role names: id (required), given_name, family_name, "
						 "full_name, dob, email, phone, address, city, postcode, country, "
						 "organisation_name, domain, national_id. "
						 "A view can rename columns: CREATE VIEW v AS SELECT customer_no AS id, ...")));
}

/* ------------------------------------------------------------ arena */

/*
 * Records are many and small and all freed together: a bump allocator over
 * 1 MB blocks of the records' context keeps palloc's per-chunk overhead
 * (and its time) out of a million-record read.
 */
#define ARENA_BLOCK (1024 * 1024)

typedef struct Arena
{
	MemoryContext cxt;
	char	   *cur;
	size_t		left;
	size_t		used;
	HTAB	   *phones;			/* read_phone's memo over a table read, or NULL */
} Arena;

static void *
arena_alloc(Arena *a, size_t bytes)
{
	void	   *p;

	bytes = MAXALIGN(bytes);
	if (bytes > a->left)
	{
		size_t		block = bytes > ARENA_BLOCK / 4 ? bytes : ARENA_BLOCK;

		a->cur = MemoryContextAlloc(a->cxt, block);
		a->left = block;
	}
	p = a->cur;
	a->cur += bytes;
	a->left -= bytes;
	a->used += bytes;
	return p;
}

static char *
arena_strdup(Arena *a, const char *s, size_t len)
{
	char	   *p = arena_alloc(a, len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

static cdm_char *
arena_chars(Arena *a, const cdm_char *s, size_t n)
{
	cdm_char   *p = arena_alloc(a, n * sizeof(cdm_char) + 1);

	memcpy(p, s, n * sizeof(cdm_char));
	return p;
}

/* ------------------------------------------------------------ values */

/* Code points of a text value into the arena; *n = 0 for nothing. */
static const cdm_char *
text_chars(Arena *a, const text *t, uint32_t *n)
{
	CdmChars	c;
	const cdm_char *r;

	cdm_chars_from_text_unicode(t, &c);
	*n = (uint32_t) c.n;
	r = c.n ? arena_chars(a, c.cp, c.n) : NULL;
	cdm_chars_free(&c);
	return r;
}

/* Folded code points of a text value into the arena; *n = 0 for nothing. */
static const cdm_char *
folded_chars(Arena *a, const text *t, uint32_t *n)
{
	text	   *f = cdm_fold_text(t);
	const cdm_char *r = text_chars(a, f, n);

	pfree(f);
	return r;
}

/* One name part of a parsed full name, folded, into the arena. */
static const cdm_char *
name_part_chars(Arena *a, const CdmName *name, CdmNameRole role, uint32_t *n)
{
	size_t		room = 1;
	cdm_char   *buf;
	size_t		len;

	for (size_t k = 0; k < name->ntok; k++)
		room += name->tok[k].len + 1;
	buf = cdm_alloc_chars(room);
	len = cdm_name_part(name, role, buf);
	*n = (uint32_t) len;
	return len ? arena_chars(a, buf, len) : NULL;
}

static void
read_email(Arena *a, CdmMatchRecord *r, const text *t)
{
	size_t		len = VARSIZE_ANY_EXHDR(t);
	const char *s = cdm_utf8_bytes(VARDATA_ANY(t), &len);
	char		buf[CDM_EMAIL_MAX];
	const char *err = NULL;
	ptrdiff_t	m = cdm_email_norm(s, len, buf, sizeof(buf), &err);

	if (m == CDM_EMAIL_ICU_ERROR)
		ereport(ERROR,
				(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
				 errmsg("ICU failed to normalise the e-mail address %s: %s",
						cdm_quote_for_message(t), err)));
	if (m > 0 && m <= (ptrdiff_t) sizeof(buf))
	{
		cdm_match_email_prepare(&r->email, arena_strdup(a, buf, (size_t) m), (size_t) m);
		return;
	}
	/* not an address: its folded text still says something */
	{
		text	   *f = cdm_fold_text(t);
		size_t		flen = VARSIZE_ANY_EXHDR(f);

		if (flen > 0)
			cdm_match_email_prepare(&r->email, arena_strdup(a, VARDATA_ANY(f), flen), flen);
	}
}

/*
 * Phone numbers: E.164 digits; numbers written internationally directly,
 * others through libphonenumber, reading national numbers as the record's
 * country (its ISO code, or a name cdm_country_code knows), else as US
 * numbers;
 * what it cannot read keeps its digits (the "last 7 digits" level still
 * works on them).
 */
#define PHONE_MEMO_DIGITS 32

typedef struct PhoneMemoKey
{
	char		region[4];		/* NUL-padded */
	char		digits[PHONE_MEMO_DIGITS];	/* NUL-padded */
} PhoneMemoKey;

typedef struct PhoneMemoEntry
{
	PhoneMemoKey key;
	const char *digits;			/* in the arena; NULL when none */
	uint32_t	len;
} PhoneMemoEntry;

static void read_phone_parse(Arena *a, CdmMatchRecord *r, const text *t, const char *s,
							 size_t len, const char *region);

static void
read_phone(Arena *a, CdmMatchRecord *r, const text *t, const char *region)
{
	size_t		len = VARSIZE_ANY_EXHDR(t);
	const char *s = cdm_utf8_bytes(VARDATA_ANY(t), &len);
	char		digits[CDM_PHONE_E164_SIZE];
	size_t		nd = 0;

	/*
	 * Written internationally (+61 469 689 400, 0061...): the digits are
	 * already country code and number, all the comparison needs, without a
	 * libphonenumber parse (most of the read time of such a table).
	 */
	{
		size_t		i = 0;

		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i < len && (s[i] == '+' || (i + 1 < len && s[i] == '0' && s[i + 1] == '0')))
		{
			for (size_t j = i + (s[i] == '+' ? 1 : 2); j < len && nd < sizeof(digits); j++)
			{
				if (s[j] >= '0' && s[j] <= '9')
					digits[nd++] = s[j];
				else if (!strchr(" -.()/", s[j]))
				{
					nd = 0;		/* letters, an extension: let libphonenumber read it */
					break;
				}
			}
			if (nd >= 8 && nd <= 15)
			{
				r->phone.digits = arena_strdup(a, digits, nd);
				r->phone.len = (uint32_t) nd;
				return;
			}
			nd = 0;
		}
	}
	/*
	 * A number written with digits and separators only gives the same
	 * result whatever the separators (libphonenumber reads the digits): a
	 * table read keeps the result per region and digits, so a person's phone
	 * in another record, written another way, is not parsed again -- the
	 * parse is a quarter of cdm.dedupe on a 10,000-record table.
	 */
	if (a->phones && len <= PHONE_MEMO_DIGITS * 2)
	{
		PhoneMemoKey key;
		size_t		k = 0;
		bool		plain = true;

		memset(&key, 0, sizeof(key));
		memcpy(key.region, region, Min(strlen(region), sizeof(key.region) - 1));
		for (size_t i = 0; i < len && plain; i++)
		{
			if (s[i] >= '0' && s[i] <= '9')
			{
				if (k == PHONE_MEMO_DIGITS)
					plain = false;
				else
					key.digits[k++] = s[i];
			}
			else if (!strchr(" -.()", s[i]) || s[i] == '\0')
				plain = false;
		}
		if (plain && k > 0)
		{
			bool		found;
			PhoneMemoEntry *e = hash_search(a->phones, &key, HASH_ENTER, &found);

			if (!found)
			{
				e->digits = NULL;
				e->len = 0;
				read_phone_parse(a, r, t, s, len, region);
				e->digits = r->phone.digits;
				e->len = r->phone.len;
			}
			r->phone.digits = e->digits;
			r->phone.len = e->len;
			return;
		}
	}
	read_phone_parse(a, r, t, s, len, region);
}

/* The libphonenumber reading of a phone (after read_phone's quick paths). */
static void
read_phone_parse(Arena *a, CdmMatchRecord *r, const text *t, const char *s, size_t len,
				 const char *region)
{
	char		out[CDM_PHONE_E164_SIZE];
	char		digits[CDM_PHONE_E164_SIZE];
	size_t		nd = 0;
	CdmPhoneStatus st = CDM_PHONE_NOT_A_NUMBER;

	/*
	 * A national number with a trunk 0 (0413 107 398) read as a US number:
	 * no US number starts with 0, so libphonenumber would only fail, slowly;
	 * its digits are what is left to compare.
	 */
	{
		size_t		i = 0;
		bool		us_trunk_zero;

		while (i < len && (s[i] < '0' || s[i] > '9') && s[i] != '+')
			i++;
		us_trunk_zero = strcmp(region, "US") == 0 && i < len && s[i] == '0';
		if (!us_trunk_zero && len <= CDM_PHONE_MAX_INPUT)
			st = cdm_phone_e164(s, len, region, strlen(region), out);
	}
	if (st == CDM_PHONE_UNKNOWN_REGION)
		st = cdm_phone_e164(s, len, "US", 2, out);	/* an ISO code libphonenumber lacks */
	if (st == CDM_PHONE_INTERNAL_ERROR)
		ereport(ERROR,
				(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
				 errmsg("libphonenumber failed on the phone number %s", cdm_quote_for_message(t))));
	if (st == CDM_PHONE_OK)
	{
		for (const char *p = out; *p && nd < sizeof(digits); p++)
			if (*p >= '0' && *p <= '9')
				digits[nd++] = *p;
	}
	else
	{
		/* the last digits as written: at most what E.164 holds */
		for (size_t i = 0; i < len; i++)
		{
			if (s[i] < '0' || s[i] > '9')
				continue;
			if (nd == sizeof(digits))
			{
				memmove(digits, digits + 1, nd - 1);
				nd--;
			}
			digits[nd++] = s[i];
		}
	}
	if (nd > 0)
	{
		r->phone.digits = arena_strdup(a, digits, nd);
		r->phone.len = (uint32_t) nd;
	}
}

static void
read_address(Arena *a, CdmMatchRecord *r, const text *t)
{
	text	   *f = cdm_fold_text(t);
	const char *s = VARDATA_ANY(f);
	size_t		len = VARSIZE_ANY_EXHDR(f);
	size_t		cap = CDM_ADDRESS_OUT_SIZE(len);
	char	   *out = palloc(cap + VARHDRSZ);
	void	   *ws = palloc(cdm_address_workspace(len));
	size_t		m = cdm_address_norm_folded(s, len, out + VARHDRSZ, cap, ws);

	if (m > cap)
		elog(ERROR, "cdm: address normalisation exceeded its bound");
	SET_VARSIZE(out, m + VARHDRSZ);
	r->address.s = text_chars(a, (text *) out, &r->address.len);
	pfree(ws);
	pfree(out);
	pfree(f);
}

/*
 * An organisation's web domain as written in a website or e-mail column:
 * ASCII lower-cased; the scheme, anything up to an '@', a leading "www.",
 * and a port, path, query or trailing dot cut off ("https://www.Acme.example/
 * contact" and "sales@acme.example" give acme.example).  Nothing left:
 * missing.  Internationalised domains are compared as written.
 */
static void
read_domain(Arena *a, CdmMatchRecord *r, const text *t)
{
	const char *raw = VARDATA_ANY(t);
	size_t		len = VARSIZE_ANY_EXHDR(t);
	char	   *s = palloc(len + 1);
	size_t		start = 0,
				end;

	for (size_t i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) raw[i];

		s[i] = (char) ((c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c);
	}
	s[len] = '\0';
	while (start < len && (s[start] == ' ' || s[start] == '\t'))
		start++;
	for (size_t i = start; i + 2 < len; i++)
		if (s[i] == ':' && s[i + 1] == '/' && s[i + 2] == '/')
		{
			start = i + 3;
			break;
		}
	for (size_t i = start; i < len && s[i] != '/'; i++)
		if (s[i] == '@')
			start = i + 1;
	if (len - start >= 4 && memcmp(s + start, "www.", 4) == 0)
		start += 4;
	end = start;
	while (end < len && !strchr("/:?# \t", s[end]))
		end++;
	while (end > start && s[end - 1] == '.')
		end--;
	if (end > start)
	{
		text	   *d = cstring_to_text_with_len(s + start, (int) (end - start));

		r->domain.s = text_chars(a, d, &r->domain.len);
		pfree(d);
	}
	pfree(s);
}

static int32_t
dob_of(Datum d)
{
	DateADT		date = DatumGetDateADT(d);
	int			y,
				m,
				dd;

	if (DATE_NOT_FINITE(date))
		return CDM_DOB_MISSING;
	j2date(date + POSTGRES_EPOCH_JDATE, &y, &m, &dd);
	if (y < 1 || y > 9999)
		return CDM_DOB_MISSING;
	return y * 10000 + m * 100 + dd;
}

/*
 * A national id (social security, passport, tax number) compared exactly
 * after folding, with spaces and punctuation dropped: 123-45-6789 is
 * 123 45 6789.  0 = none (an id of only punctuation counts as none).
 */
static uint64_t
national_id_hash(const text *t)
{
	text	   *f = cdm_fold_text(t);
	const char *s = VARDATA_ANY(f);
	size_t		len = VARSIZE_ANY_EXHDR(f);
	uint64_t	h = CDM_FNV_OFFSET;
	bool		any = false;

	for (size_t i = 0; i < len; i++)
	{
		if (s[i] == ' ')
			continue;
		h = cdm_fnv_step(h, (unsigned char) s[i]);
		any = true;
	}
	pfree(f);
	return any ? (h | 1) : 0;
}

/* ------------------------------------------------------------ reading */

static char *
select_list(const MatchSource *src)
{
	StringInfoData q;

	initStringInfo(&q);
	appendStringInfoString(&q, "SELECT id::pg_catalog.text");
	for (int r = 1; r < SRC_NROLES; r++)
	{
		if (src->att[r] == 0)
			appendStringInfoString(&q, ", NULL");
		else if (r == SRC_DOB)
			appendStringInfo(&q, ", %s::pg_catalog.date", quote_identifier(cdm_source_role_names[r]));
		else
			appendStringInfo(&q, ", %s::pg_catalog.text", quote_identifier(cdm_source_role_names[r]));
	}
	appendStringInfo(&q, " FROM %s ORDER BY id::pg_catalog.text COLLATE pg_catalog.\"C\"", src->relname);
	return q.data;
}

/* Values past CDM_TEXT_MAX_BYTES are refused before they are detoasted. */
static void
check_value_sizes(const Datum *v, const bool *isnull)
{
	for (int role = SRC_ID + 1; role < SRC_NROLES; role++)
	{
		size_t		bytes;

		if (role == SRC_DOB || isnull[role])
			continue;
		bytes = toast_raw_datum_size(v[role]) - VARHDRSZ;
		if (bytes > CDM_TEXT_MAX_BYTES)
			cdm_check_text_size(bytes, psprintf("cdm: the %s value", cdm_source_role_names[role]));
	}
}

/* Fill one record from an SPI row (values[r] for role r). */
static void
prepare_row(Arena *a, CdmMatchRecord *r, Datum *v, bool *isnull)
{
	const text *given;
	const text *family;
	char		region[3] = "US";

	check_value_sizes(v, isnull);
	given = isnull[SRC_GIVEN_NAME] ? NULL : DatumGetTextPP(v[SRC_GIVEN_NAME]);
	family = isnull[SRC_FAMILY_NAME] ? NULL : DatumGetTextPP(v[SRC_FAMILY_NAME]);
	memset(r, 0, sizeof(*r));
	if (given || family)
	{
		const cdm_char *f;
		uint32_t	n;

		if (given)
		{
			f = folded_chars(a, given, &n);
			cdm_match_name_prepare(&r->given, f, n,
					 arena_strdup(a, VARDATA_ANY(given), VARSIZE_ANY_EXHDR(given)),
					 VARSIZE_ANY_EXHDR(given));
		}
		if (family)
		{
			f = folded_chars(a, family, &n);
			cdm_match_name_prepare(&r->family, f, n,
					 arena_strdup(a, VARDATA_ANY(family), VARSIZE_ANY_EXHDR(family)),
					 VARSIZE_ANY_EXHDR(family));
		}
	}
	else if (!isnull[SRC_FULL_NAME])
	{
		/* only a full name: its given and family parts (titles, suffixes aside) */
		CdmName		name;
		const cdm_char *f;
		uint32_t	n;

		cdm_name_from_text(DatumGetTextPP(v[SRC_FULL_NAME]), &name);
		f = name_part_chars(a, &name, CDM_NAME_GIVEN, &n);
		cdm_match_name_prepare(&r->given, f, n, NULL, 0);
		f = name_part_chars(a, &name, CDM_NAME_FAMILY, &n);
		cdm_match_name_prepare(&r->family, f, n, NULL, 0);
	}
	if (!isnull[SRC_DOB])
		r->dob = dob_of(v[SRC_DOB]);
	if (!isnull[SRC_EMAIL])
		read_email(a, r, DatumGetTextPP(v[SRC_EMAIL]));
	if (!isnull[SRC_COUNTRY])
	{
		/* by its ISO code when it is a country ISO knows: Australia = AU */
		text	   *f = cdm_fold_text(DatumGetTextPP(v[SRC_COUNTRY]));
		char		code[3];

		if (cdm_country_code(VARDATA_ANY(f), VARSIZE_ANY_EXHDR(f), code))
		{
			cdm_char	lc[2] = {(cdm_char) tolower((unsigned char) code[0]),
			(cdm_char) tolower((unsigned char) code[1])};

			memcpy(region, code, 3);
			r->country.s = arena_chars(a, lc, 2);
			r->country.len = 2;
		}
		else
			r->country.s = text_chars(a, f, &r->country.len);	/* already folded */
	}
	if (!isnull[SRC_PHONE])
		read_phone(a, r, DatumGetTextPP(v[SRC_PHONE]), region);
	if (!isnull[SRC_ADDRESS])
		read_address(a, r, DatumGetTextPP(v[SRC_ADDRESS]));
	if (!isnull[SRC_CITY])
		r->city.s = folded_chars(a, DatumGetTextPP(v[SRC_CITY]), &r->city.len);
	if (!isnull[SRC_POSTCODE])
		r->postcode.s = folded_chars(a, DatumGetTextPP(v[SRC_POSTCODE]), &r->postcode.len);
	if (!isnull[SRC_DOMAIN])
		read_domain(a, r, DatumGetTextPP(v[SRC_DOMAIN]));
	if (!isnull[SRC_ORGANISATION_NAME])
	{
		text	   *o = cdm_org_name_norm_text(DatumGetTextPP(v[SRC_ORGANISATION_NAME]));

		r->org.s = text_chars(a, o, &r->org.len);
		pfree(o);
	}
}

/*
 * Term frequencies of the folded given and family names: the share of the
 * records that have the role whose value is this one.
 */
static void
set_name_tf(MatchRecords *out)
{
	size_t		n = out->n;
	CdmBlockItem *items = palloc_extended(n * sizeof(CdmBlockItem), MCXT_ALLOC_HUGE);
	CdmBlockItem *tmp = palloc_extended(n * sizeof(CdmBlockItem), MCXT_ALLOC_HUGE);

	for (int role = 0; role < 2; role++)
	{
		size_t		k = 0;

		for (size_t i = 0; i < n; i++)
		{
			CdmMatchName *nm = role == 0 ? &out->rec[i].given : &out->rec[i].family;

			if (nm->len == 0)
				continue;
			items[k].key = cdm_fnv_chars(nm->folded, nm->len);
			items[k].sub = 0;
			items[k].rec = (uint32_t) i;
			k++;
		}
		cdm_block_sort(items, k, tmp);
		for (size_t s = 0; s < k;)
		{
			size_t		e = s + 1;

			while (e < k && items[e].key == items[s].key)
				e++;
			for (size_t j = s; j < e; j++)
			{
				CdmMatchRecord *r = &out->rec[items[j].rec];

				(role == 0 ? &r->given : &r->family)->tf = (double) (e - s) / (double) k;
			}
			s = e;
		}
	}
	pfree(items);
	pfree(tmp);
}

#define FETCH_ROWS 10000

void
cdm_source_read(const MatchSource *src, MatchRecords *out)
{
	MemoryContext caller = CurrentMemoryContext;
	MemoryContext rowcxt;
	Arena		arena;
	size_t		cap = 1024;
	SPIPlanPtr	plan;
	Portal		portal;

	memset(out, 0, sizeof(*out));
	out->cxt = AllocSetContextCreate(caller, "cdm match records", ALLOCSET_DEFAULT_SIZES);
	arena.cxt = out->cxt;
	arena.cur = NULL;
	arena.left = 0;
	arena.used = 0;
	{
		HASHCTL		hc;

		hc.keysize = sizeof(PhoneMemoKey);
		hc.entrysize = sizeof(PhoneMemoEntry);
		hc.hcxt = caller;
		arena.phones = hash_create("cdm phone memo", 1024, &hc, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	}
	out->id = MemoryContextAllocHuge(out->cxt, cap * sizeof(char *));
	out->rec = MemoryContextAllocHuge(out->cxt, cap * sizeof(CdmMatchRecord));
	out->uid = MemoryContextAllocHuge(out->cxt, cap * sizeof(uint64_t));
	rowcxt = AllocSetContextCreate(caller, "cdm match row", ALLOCSET_DEFAULT_SIZES);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "cdm: SPI_connect failed");
	plan = SPI_prepare(select_list(src), 0, NULL);
	if (plan == NULL)
		elog(ERROR, "cdm: could not plan the read of %s: %s", src->display,
			 SPI_result_code_string(SPI_result));
	portal = SPI_cursor_open(NULL, plan, NULL, NULL, true);
	for (;;)
	{
		SPI_cursor_fetch(portal, true, FETCH_ROWS);
		if (SPI_processed == 0)
			break;
		for (uint64 row = 0; row < SPI_processed; row++)
		{
			HeapTuple	tup = SPI_tuptable->vals[row];
			TupleDesc	desc = SPI_tuptable->tupdesc;
			Datum		v[SRC_NROLES];
			bool		isnull[SRC_NROLES];
			MemoryContext old;

			for (int r = 0; r < SRC_NROLES; r++)
				v[r] = SPI_getbinval(tup, desc, r + 1, &isnull[r]);
			if (isnull[SRC_ID])
				ereport(ERROR,
						(errcode(ERRCODE_NOT_NULL_VIOLATION),
						 errmsg("relation %s has a row whose id is NULL", src->display),
						 errhint("Every record needs an id; filter such rows out in a view.")));
			if (out->n == cap)
			{
				cap *= 2;
				out->id = repalloc_huge(out->id, cap * sizeof(char *));
				out->rec = repalloc_huge(out->rec, cap * sizeof(CdmMatchRecord));
				out->uid = repalloc_huge(out->uid, cap * sizeof(uint64_t));
			}
			old = MemoryContextSwitchTo(rowcxt);
			{
				text	   *id = DatumGetTextPP(v[SRC_ID]);

				out->id[out->n] = arena_strdup(&arena, VARDATA_ANY(id), VARSIZE_ANY_EXHDR(id));
				if (out->n > 0 && strcmp(out->id[out->n - 1], out->id[out->n]) == 0)
					ereport(ERROR,
							(errcode(ERRCODE_UNIQUE_VIOLATION),
							 errmsg("relation %s has two rows with id %s", src->display,
									cdm_quote_for_message(id)),
							 errhint("cdm returns one row per record by id: make id unique "
									 "(a view can use source_system || ':' || key).")));
				prepare_row(&arena, &out->rec[out->n], v, isnull);
				out->uid[out->n] = isnull[SRC_NATIONAL_ID] ? 0 :
					national_id_hash(DatumGetTextPP(v[SRC_NATIONAL_ID]));
			}
			MemoryContextSwitchTo(old);
			MemoryContextReset(rowcxt);
			out->n++;
		}
		SPI_freetuptable(SPI_tuptable);
		CHECK_FOR_INTERRUPTS();
	}
	SPI_cursor_close(portal);
	SPI_finish();
	MemoryContextDelete(rowcxt);
	hash_destroy(arena.phones);
	if (out->n >= UINT32_MAX - 1)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("relation %s has %zu records, more than the limit of %u that cdm can match at once",
						src->display, out->n, (unsigned) (UINT32_MAX - 2))));
	if (out->n > 0)
		set_name_tf(out);
	out->bytes = arena.used + out->n * (sizeof(char *) + sizeof(CdmMatchRecord));
}

ptrdiff_t
cdm_source_find(const MatchRecords *recs, const char *id)
{
	size_t		lo = 0,
				hi = recs->n;

	while (lo < hi)
	{
		size_t		mid = lo + (hi - lo) / 2;
		int			c = strcmp(recs->id[mid], id);

		if (c == 0)
			return (ptrdiff_t) mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* ------------------------------------------------------------ jsonb */

/* A jsonb scalar as text, or NULL for a JSON null, an array or an object. */
static text *
jsonb_scalar_text(JsonbValue *v)
{
	switch (v->type)
	{
		case jbvString:
			return cstring_to_text_with_len(v->val.string.val, v->val.string.len);
		case jbvNumeric:
			return cstring_to_text(DatumGetCString(DirectFunctionCall1(numeric_out,
																   NumericGetDatum(v->val.numeric))));
		case jbvBool:
			return cstring_to_text(v->val.boolean ? "true" : "false");
		default:
			return NULL;
	}
}

bool
cdm_jsonb_blank(const JsonbValue *v)
{
	if (v->type != jbvString)
		return false;
	for (int i = 0; i < v->val.string.len; i++)
		if (v->val.string.val[i] != ' ')
			return false;
	return true;
}

void
cdm_record_from_jsonb(Jsonb *j, CdmMatchRecord *r, uint64_t *uid)
{
	cdm_record_from_jsonb_ext(j, r, uid, false);
}

/*
 * The roles of j as prepare_row takes them.  only_phone: the phone and the
 * country (its region) alone; skip_phone: all but the phone.
 */
static void
jsonb_roles(Jsonb *j, bool blank_missing, bool only_phone, bool skip_phone,
			Datum *v, bool *isnull)
{
	if (!JB_ROOT_IS_OBJECT(j))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("customer attributes must be a JSON object, got a JSON %s",
						JB_ROOT_IS_SCALAR(j) ? "scalar" : "array"),
				 errhint("Pass {\"given_name\": \"Ann\", \"dob\": \"1980-03-12\", ...} "
						 "with cdm's role names as keys.")));
	for (int role = 0; role < SRC_NROLES; role++)
	{
		const char *key = cdm_source_role_names[role];
		JsonbValue *jv;
		text	   *t;

		isnull[role] = true;
		v[role] = (Datum) 0;
		if ((only_phone && role != SRC_PHONE && role != SRC_COUNTRY) ||
			(skip_phone && role == SRC_PHONE))
			continue;
		jv = getKeyJsonValueFromContainer(&j->root, key, strlen(key), NULL);
		t = jv == NULL || (blank_missing && cdm_jsonb_blank(jv)) ? NULL : jsonb_scalar_text(jv);
		if (t == NULL)
			continue;
		isnull[role] = false;
		if (role == SRC_DOB)
			v[role] = DirectFunctionCall1(date_in, CStringGetDatum(text_to_cstring(t)));
		else
			v[role] = PointerGetDatum(t);
	}
}

static void
arena_init(Arena *arena)
{
	arena->cxt = CurrentMemoryContext;
	arena->cur = NULL;
	arena->left = 0;
	arena->used = 0;
	arena->phones = NULL;
}

/* A record from j; with phone_given, its phone is phone (NULL or empty: none). */
static void
record_from_jsonb(Jsonb *j, CdmMatchRecord *r, uint64_t *uid, bool blank_missing,
				  bool phone_given, const text *phone)
{
	Datum		v[SRC_NROLES];
	bool		isnull[SRC_NROLES];
	Arena		arena;

	jsonb_roles(j, blank_missing, false, phone_given, v, isnull);
	arena_init(&arena);
	prepare_row(&arena, r, v, isnull);
	*uid = isnull[SRC_NATIONAL_ID] ? 0 : national_id_hash(DatumGetTextPP(v[SRC_NATIONAL_ID]));
	if (phone_given && phone != NULL && VARSIZE_ANY_EXHDR(phone) > 0)
	{
		r->phone.digits = arena_strdup(&arena, VARDATA_ANY(phone), VARSIZE_ANY_EXHDR(phone));
		r->phone.len = (uint32_t) VARSIZE_ANY_EXHDR(phone);
	}
}

void
cdm_record_from_jsonb_ext(Jsonb *j, CdmMatchRecord *r, uint64_t *uid, bool blank_missing)
{
	record_from_jsonb(j, r, uid, blank_missing, false, NULL);
}

void
cdm_record_from_jsonb_phone(Jsonb *j, CdmMatchRecord *r, uint64_t *uid, bool blank_missing,
							const text *phone)
{
	record_from_jsonb(j, r, uid, blank_missing, true, phone);
}

char *
cdm_record_phone_digits(Jsonb *j, bool blank_missing)
{
	Datum		v[SRC_NROLES];
	bool		isnull[SRC_NROLES];
	Arena		arena;
	CdmMatchRecord r;

	jsonb_roles(j, blank_missing, true, false, v, isnull);
	arena_init(&arena);
	prepare_row(&arena, &r, v, isnull);
	return r.phone.len ? pnstrdup(r.phone.digits, r.phone.len) : NULL;
}

/* ------------------------------------------------------------ describe */

static char *
chars_text(const cdm_char *s, size_t n)
{
	text	   *t;

	if (n == 0)
		return NULL;
	t = cdm_text_from_chars(s, n);
	return text_to_cstring(t);
}

char *
cdm_source_describe(const MatchRecords *recs, size_t i, int role)
{
	const CdmMatchRecord *r = &recs->rec[i];

	switch (role)
	{
		case CDM_ROLE_GIVEN_NAME:
			return chars_text(r->given.folded, r->given.len);
		case CDM_ROLE_FAMILY_NAME:
			return chars_text(r->family.folded, r->family.len);
		case CDM_ROLE_DOB:
			if (r->dob == CDM_DOB_MISSING)
				return NULL;
			return psprintf("%04d-%02d-%02d", r->dob / 10000, r->dob / 100 % 100, r->dob % 100);
		case CDM_ROLE_EMAIL:
			return r->email.len ? pnstrdup(r->email.addr, r->email.len) : NULL;
		case CDM_ROLE_PHONE:
			return r->phone.len ? pnstrdup(r->phone.digits, r->phone.len) : NULL;
		case CDM_ROLE_ADDRESS:
			return chars_text(r->address.s, r->address.len);
		case CDM_ROLE_CITY:
			return chars_text(r->city.s, r->city.len);
		case CDM_ROLE_POSTCODE:
			return chars_text(r->postcode.s, r->postcode.len);
		case CDM_ROLE_COUNTRY:
			return chars_text(r->country.s, r->country.len);
		case CDM_ROLE_ORGANISATION_NAME:
			return chars_text(r->org.s, r->org.len);
		case CDM_ROLE_DOMAIN:
			return chars_text(r->domain.s, r->domain.len);
	}
	return NULL;
}
