/*
 * match_block.c - the candidate pairs of a batch run: blocking rules over
 * prepared records, paired by sorting (pairs.h).
 */
#include "postgres.h"

#include "miscadmin.h"
#include "utils/memutils.h"

#include "hash.h"
#include "match_block.h"
#include "pairs.h"

/*
 * Rules: each names what two records of one person still share when the
 * others fail.  A name read both ways round gives both items (swapped
 * given/family fields meet their straight reading).
 */
enum
{
	RULE_NAME = 1,				/* family code + given initial */
	RULE_NICK,					/* family code + given nickname root */
	RULE_DOB_GIVEN,				/* dob + given code (a new family name) */
	RULE_DOB_FAMILY,			/* dob + family code (a nickname, a typo) */
	RULE_EMAIL,					/* the address */
	RULE_EMAIL_LOCAL,			/* its local part (a new provider) */
	RULE_PHONE,					/* the last 9 digits */
	RULE_POSTCODE_FAMILY,		/* postcode + family code */
	RULE_ADDRESS_GIVEN,			/* address + given initial (a marriage) */
	RULE_FAMILY,				/* family code alone (no given name, a new
								 * given name) */
	RULE_DOB_POSTCODE,			/* dob + postcode (names rewritten) */
	RULE_DOB_CITY,				/* dob + city */
	RULE_GIVEN_CITY,			/* given code + city (a new family name) */
	RULE_NATIONAL_ID,			/* the national id */
	RULE_EMAIL_PREFIX,			/* first 8 letters and digits of the e-mail
								 * (an address that lost its @ or its end) */
	RULE_ORG_NAME,				/* the organisation name, legal forms out */
	RULE_ORG_WORD,				/* its first word, and its longest (a name
								 * written short: "stagg" ~ "chicago public
								 * schools stagg") */
	RULE_ORG_SITE,				/* house number + street word of an
								 * organisation's address (a site written
								 * under another name) */
	RULE_ORG_DOMAIN				/* an organisation's web domain */
};

static inline uint64_t
rule_key(unsigned rule, uint64_t a, uint64_t b)
{
	return cdm_mix64(cdm_mix64(((uint64_t) rule << 56) ^ a) ^ b);
}

/*
 * Neighbours inside a big group: alphabetical by the first letters of the
 * name (an organisation's: of its name).
 */
static uint32_t
name_order(const CdmMatchRecord *r)
{
	uint32_t	sub = 0;
	bool		org = r->given.len == 0 && r->family.len == 0;

	for (int i = 0; i < 4; i++)
	{
		cdm_char	c = 0;

		if (org)
			c = (uint32_t) i < r->org.len ? r->org.s[i] : 0;
		else if (i < 2 && (uint32_t) i < r->given.len)
			c = r->given.folded[i];
		else if (i >= 2 && (uint32_t) (i - 2) < r->family.len)
			c = r->family.folded[i - 2];
		sub = (sub << 8) | (c > 255 ? 255 : c);
	}
	return sub;
}

/* Hash of the code points s[from..to). */
static uint64_t
span_hash(const cdm_char *s, uint32_t from, uint32_t to)
{
	return cdm_fnv_chars(s + from, to - from);
}

/*
 * An address's house number and street: the first word with a digit and
 * the next word of three or more characters ("500 s central ave" ->
 * 500, central).  0 when the address has no such pair.
 */
static uint64_t
site_key(const CdmMatchText *a)
{
	uint32_t	i = 0;
	uint64_t	number = 0;

	while (i < a->len)
	{
		uint32_t	start = i;
		bool		digit = false;

		while (i < a->len && a->s[i] != ' ')
			digit = digit || (a->s[i] >= '0' && a->s[i] <= '9'), i++;
		if (number == 0 && digit)
			number = span_hash(a->s, start, i) | 1;
		else if (number != 0 && i - start >= 3)
			return cdm_mix64(number ^ span_hash(a->s, start, i));
		i++;
	}
	return 0;
}

typedef struct Items
{
	CdmBlockItem *it;
	size_t		n;
	size_t		cap;
} Items;

/*
 * Broad rules (name sounds alone or with an initial, a nickname root, a
 * given name's sound in a city, an e-mail local part) share values with
 * more records as a table grows; their blocks are cut sooner, so that
 * candidates per record grow little from 100k to 1M records.
 */
static inline bool
broad_rule(unsigned rule)
{
	return rule == RULE_FAMILY || rule == RULE_GIVEN_CITY || rule == RULE_NAME ||
		rule == RULE_NICK || rule == RULE_EMAIL_LOCAL || rule == RULE_EMAIL_PREFIX ||
		rule == RULE_ORG_WORD;
}

typedef struct Lists
{
	Items		strong;
	Items		broad;
} Lists;

static void
add_to(Items *items, unsigned rule, uint64_t a, uint64_t b, uint32_t sub, uint32_t rec)
{
	if (items->n == items->cap)
	{
		items->cap *= 2;
		items->it = repalloc_huge(items->it, items->cap * sizeof(CdmBlockItem));
	}
	items->it[items->n].key = rule_key(rule, a, b);
	items->it[items->n].sub = sub;
	items->it[items->n].rec = rec;
	items->n++;
}

static void
add(Lists *lists, unsigned rule, uint64_t a, uint64_t b, uint32_t sub, uint32_t rec)
{
	add_to(broad_rule(rule) ? &lists->broad : &lists->strong, rule, a, b, sub, rec);
}

/* The first and the longest word of an organisation name (once when the same). */
static void
org_items(Lists *lists, const CdmMatchRecord *r, uint32_t sub, uint32_t rec)
{
	uint32_t	i = 0,
				first_end = 0,
				best_from = 0,
				best_to = 0;

	add(lists, RULE_ORG_NAME, cdm_fnv_chars(r->org.s, r->org.len), 0, sub, rec);
	while (i < r->org.len)
	{
		uint32_t	start = i;

		while (i < r->org.len && r->org.s[i] != ' ')
			i++;
		if (start == 0)
			first_end = i;
		if (i - start > best_to - best_from)
			best_from = start, best_to = i;
		i++;
	}
	add(lists, RULE_ORG_WORD, span_hash(r->org.s, 0, first_end), 0, sub, rec);
	if (best_from > 0)
		add(lists, RULE_ORG_WORD, span_hash(r->org.s, best_from, best_to), 0, sub, rec);
	if (r->domain.len)
		add(lists, RULE_ORG_DOMAIN, cdm_fnv_chars(r->domain.s, r->domain.len), 0, sub, rec);
	if (r->address.len)
	{
		uint64_t	site = site_key(&r->address);

		if (site)
			add(lists, RULE_ORG_SITE, site, 0, sub, rec);
	}
}

static void
record_items(Lists *lists, const CdmMatchRecord *r, uint32_t rec)
{
	uint32_t	sub = name_order(r);
	uint32_t	gi = r->given.len ? r->given.folded[0] : 0;
	uint32_t	fi = r->family.len ? r->family.folded[0] : 0;

	if (r->family.dm && gi)
		add(lists, RULE_NAME, r->family.dm, gi, sub, rec);
	if (r->given.dm && fi)
		add(lists, RULE_NAME, r->given.dm, fi, sub, rec);
	if (r->family.dm && r->given.nick_root)
		add(lists, RULE_NICK, r->family.dm, r->given.nick_root, sub, rec);
	if (r->family.dm)
		add(lists, RULE_FAMILY, r->family.dm, 0, sub, rec);
	if (r->dob != CDM_DOB_MISSING)
	{
		if (r->given.dm)
			add(lists, RULE_DOB_GIVEN, (uint64_t) r->dob, r->given.dm, sub, rec);
		if (r->family.dm)
			add(lists, RULE_DOB_FAMILY, (uint64_t) r->dob, r->family.dm, sub, rec);
		if (r->postcode.len)
			add(lists, RULE_DOB_POSTCODE, (uint64_t) r->dob,
				cdm_fnv_chars(r->postcode.s, r->postcode.len), sub, rec);
		if (r->city.len)
			add(lists, RULE_DOB_CITY, (uint64_t) r->dob, cdm_fnv_chars(r->city.s, r->city.len), sub, rec);
	}
	if (r->email.len)
	{
		char		pre[8];
		int			np = 0;

		for (uint32_t i = 0; i < r->email.len && np < 8; i++)
		{
			char		c = r->email.addr[i];

			if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
				pre[np++] = c;
		}
		if (np == 8)
			add(lists, RULE_EMAIL_PREFIX, cdm_fnv_bytes(pre, 8), 0, sub, rec);
	}
	if (r->city.len && r->given.dm)
		add(lists, RULE_GIVEN_CITY, cdm_fnv_chars(r->city.s, r->city.len), r->given.dm, sub, rec);
	if (r->email.len)
	{
		add(lists, RULE_EMAIL, cdm_fnv_bytes(r->email.addr, r->email.len), 0, sub, rec);
		if (r->email.local_len >= 4 && r->email.local_len < r->email.len)
			add(lists, RULE_EMAIL_LOCAL, cdm_fnv_bytes(r->email.addr, r->email.local_len), 0, sub, rec);
	}
	if (r->phone.len >= 7)
	{
		uint32_t	k = r->phone.len > 9 ? 9 : r->phone.len;

		add(lists, RULE_PHONE, cdm_fnv_bytes(r->phone.digits + r->phone.len - k, k), 0, sub, rec);
	}
	if (r->postcode.len && r->family.dm)
		add(lists, RULE_POSTCODE_FAMILY, cdm_fnv_chars(r->postcode.s, r->postcode.len),
			r->family.dm, sub, rec);
	if (r->address.len && gi)
		add(lists, RULE_ADDRESS_GIVEN, cdm_fnv_chars(r->address.s, r->address.len), gi, sub, rec);
	/* an organisation's own record (a person's employer blocks nothing) */
	if (r->org.len && r->given.len == 0 && r->family.len == 0)
		org_items(lists, r, sub, rec);
}

/* Pairs of one list of items, sorted and cut at group_cap / window. */
static uint64_t *
list_pairs(Items *items, uint32_t group_cap, uint32_t window, size_t *np, CdmBlockStats *stats)
{
	CdmBlockItem *tmp = palloc_extended(items->n * sizeof(CdmBlockItem) + 1, MCXT_ALLOC_HUGE);
	size_t		cap = items->n * 4 + 16;
	uint64_t   *pairs;
	size_t		need;

	cdm_block_sort(items->it, items->n, tmp);
	pfree(tmp);
	pairs = palloc_extended(cap * sizeof(uint64_t), MCXT_ALLOC_HUGE);
	need = cdm_block_pairs(items->it, items->n, group_cap, window, pairs, cap, stats);
	if (need > cap)
	{
		pfree(pairs);
		cap = need;
		pairs = palloc_extended(cap * sizeof(uint64_t), MCXT_ALLOC_HUGE);
		need = cdm_block_pairs(items->it, items->n, group_cap, window, pairs, cap, stats);
	}
	*np = need;
	return pairs;
}

uint64_t *
cdm_match_candidate_pairs(const CdmMatchRecord *rec, const uint64_t *uid, size_t n,
						  size_t *npairs, CdmBlockStats *stats)
{
	uint64_t   *sp,
			   *bp,
			   *all,
			   *tmp64;
	size_t		ns,
				nb;
	CdmBlockStats bst;
	Lists		lists;

	lists.strong.cap = lists.broad.cap = n * 2 + 16;
	lists.strong.n = lists.broad.n = 0;
	lists.strong.it = palloc_extended(lists.strong.cap * sizeof(CdmBlockItem), MCXT_ALLOC_HUGE);
	lists.broad.it = palloc_extended(lists.broad.cap * sizeof(CdmBlockItem), MCXT_ALLOC_HUGE);
	for (size_t i = 0; i < n; i++)
	{
		record_items(&lists, &rec[i], (uint32_t) i);
		if (uid && uid[i])
			add(&lists, RULE_NATIONAL_ID, uid[i], 0, name_order(&rec[i]), (uint32_t) i);
		if (i % 4096 == 0)
			CHECK_FOR_INTERRUPTS();
	}
	sp = list_pairs(&lists.strong, CDM_MATCH_GROUP_CAP, CDM_MATCH_WINDOW, &ns, stats);
	bp = list_pairs(&lists.broad, CDM_MATCH_BROAD_CAP, CDM_MATCH_BROAD_WINDOW, &nb, &bst);
	stats->groups += bst.groups;
	stats->big_groups += bst.big_groups;
	stats->largest = Max(stats->largest, bst.largest);
	pfree(lists.strong.it);
	pfree(lists.broad.it);
	all = palloc_extended((ns + nb) * sizeof(uint64_t) + 1, MCXT_ALLOC_HUGE);
	memcpy(all, sp, ns * sizeof(uint64_t));
	memcpy(all + ns, bp, nb * sizeof(uint64_t));
	pfree(sp);
	pfree(bp);
	tmp64 = palloc_extended((ns + nb) * sizeof(uint64_t) + 1, MCXT_ALLOC_HUGE);
	*npairs = cdm_pairs_unique(all, ns + nb, tmp64);
	pfree(tmp64);
	return all;
}

size_t
cdm_match_record_keys(const CdmMatchRecord *rec, uint64_t uid, uint64_t *out, size_t cap)
{
	Lists		lists;
	size_t		n = 0;

	lists.strong.cap = lists.broad.cap = 40;
	lists.strong.n = lists.broad.n = 0;
	lists.strong.it = palloc(lists.strong.cap * sizeof(CdmBlockItem));
	lists.broad.it = palloc(lists.broad.cap * sizeof(CdmBlockItem));
	record_items(&lists, rec, 0);
	if (uid)
		add(&lists, RULE_NATIONAL_ID, uid, 0, 0, 0);
	for (int l = 0; l < 2; l++)
	{
		const Items *items = l == 0 ? &lists.strong : &lists.broad;

		for (size_t i = 0; i < items->n; i++)
		{
			bool		seen = false;

			for (size_t j = 0; j < n && j < cap; j++)
				seen = seen || out[j] == items->it[i].key;
			if (!seen)
			{
				if (n < cap)
					out[n] = items->it[i].key;
				n++;
			}
		}
	}
	pfree(lists.strong.it);
	pfree(lists.broad.it);
	return n;
}
