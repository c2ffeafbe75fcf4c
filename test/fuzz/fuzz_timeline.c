/*
 * fuzz_timeline.c - lifecycle/: timelines (cdm_timeline_sort, _merge,
 * _valid) and definitions of "active": the stored program
 * (cdm_active_program_read must refuse corrupt bytes) and its evaluation.
 *
 * Input: option byte (bit 0: build a program from the first part's bytes
 * as lists of ids, to reach valid programs; else the first part is the
 * program image itself), then the program, then two sets of events (16
 * bytes each), then as_of and since.
 *
 * Invariants:
 *   - sort: valid, equal to a naive sort-and-unique, idempotent; merge of
 *     two sorted timelines equals sorting their union, and is valid;
 *   - a program that reads writes back and reads to the same rule (the
 *     header's padding aside, the bytes too), and a cut one is refused;
 *   - cdm_active_status in the rule's own scope says CUSTOMER exactly when
 *     cdm_active_eval says active; eval's "why" agrees with its answer.
 */
#include "fuzz.h"

#include "active_rule.h"
#include "timeline.h"

static int
ev_cmp(const void *a, const void *b)
{
	return cdm_event_cmp(a, b);
}

static size_t
naive_sort(CdmEvent *ev, size_t n)
{
	size_t		k = 0;

	qsort(ev, n, sizeof(CdmEvent), ev_cmp);
	for (size_t i = 0; i < n; i++)
		if (k == 0 || cdm_event_cmp(&ev[k - 1], &ev[i]) != 0)
			ev[k++] = ev[i];
	return k;
}

static CdmEvent *
events(const char *p, size_t len, size_t *n)
{
	size_t		k = len / 16;
	CdmEvent   *ev = malloc((k + 1) * sizeof(CdmEvent));

	for (size_t i = 0; i < k; i++)
	{
		const uint8_t *b = (const uint8_t *) p + 16 * i;

		if (b[0] == 0xFF)
			memcpy(&ev[i], b, sizeof(CdmEvent));	/* anything at all */
		else
		{
			ev[i].at = (int64_t) (int8_t) b[1] * 1000;
			ev[i].milestone = 1 + b[2] % 8;
			ev[i].scope = b[3] % 3;
		}
	}
	*n = k;
	return ev;
}

static bool
same_rule(const CdmActiveRule *a, const CdmActiveRule *b)
{
	if (a->scope != b->scope || a->activity_required != b->activity_required ||
		a->has_window != b->has_window || a->win_months != b->win_months ||
		a->win_days != b->win_days || a->win_usecs != b->win_usecs)
		return false;
	for (int l = 0; l < CDM_ACTIVE_NLISTS; l++)
		if (a->n[l] != b->n[l] ||
			memcmp(a->ids[l], b->ids[l], (size_t) a->n[l] * sizeof(int32_t)) != 0)
			return false;
	return true;
}

/* A rule from bytes: scope, flags, then list lengths and ids. */
static bool
build_rule(const uint8_t *p, size_t len, CdmActiveRule *r)
{
	size_t		i = 3;

	memset(r, 0, sizeof(*r));
	if (len < 3)
		return false;
	r->scope = p[0] % 3;
	r->activity_required = p[1] & 1;
	r->has_window = p[1] & 2;
	r->win_usecs = (int64_t) p[2] * 1000;
	for (int l = 0; l < CDM_ACTIVE_NLISTS && i < len; l++)
	{
		int			k = p[i++] % 9;

		for (int j = 0; j < k && i < len; j++)
			r->ids[l][r->n[l]++] = 1 + p[i++] % 8;
	}
	return r->n[CDM_ACTIVE_ALL] > 0 || r->n[CDM_ACTIVE_ANY] > 0 || r->activity_required;
}

static void
check_program(const CdmActiveRule *r)
{
	size_t		size = cdm_active_program_size(r);
	unsigned char *img = malloc(size);
	CdmActiveRule *back = malloc(sizeof(CdmActiveRule));

	cdm_active_program_write(r, img);
	FUZZ_CHECK(cdm_active_program_read(img, size, back) && same_rule(r, back),
			   "a written program does not read back");
	for (size_t k = 0; k < size; k += 1 + size / 9)
		FUZZ_CHECK(!cdm_active_program_read(img, k, back), "a program cut at %zu reads", k);
	free(back);
	free(img);
}

static void
check_eval(const CdmActiveRule *r, const CdmEvent *ev, size_t n, int64_t as_of, int64_t since)
{
	CdmActiveWhy *why = malloc(sizeof(CdmActiveWhy));
	bool		act = cdm_active_eval(r, ev, n, as_of, since, why);
	CdmCustomerStatus st = cdm_active_status(r, 0, ev, n, as_of, since);

	FUZZ_CHECK(act == cdm_active_eval(r, ev, n, as_of, since, NULL), "eval differs without why");
	FUZZ_CHECK(act == (why->all_met && why->any_met && why->none_met && why->activity_met),
			   "eval %d, why %d %d %d %d", (int) act, why->all_met, why->any_met,
			   why->none_met, why->activity_met);
	FUZZ_CHECK(act == (st == CDM_CUSTOMER), "eval %d, status %d", (int) act, (int) st);
	for (int32_t scope = 1; scope < 3; scope++)
	{
		CdmCustomerStatus s = cdm_active_status(r, scope, ev, n, as_of, since);

		FUZZ_CHECK(s >= CDM_NEW_PROSPECT && s <= CDM_CUSTOMER, "status %d", (int) s);
	}
	free(why);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FuzzInput	in;
	CdmEvent   *a,
			   *b,
			   *a2,
			   *u,
			   *merged;
	size_t		na,
				nb,
				n2,
				nu,
				nm;
	CdmActiveRule *r = malloc(sizeof(CdmActiveRule));
	bool		rule_ok;
	int64_t		as_of = 0,
				since = 0;

	fuzz_split(data, size, 5, &in);
	a = events(in.p[2], in.len[2], &na);
	b = events(in.p[3], in.len[3], &nb);
	if (in.len[4] >= 8)
		memcpy(&as_of, in.p[4], 8);
	else if (in.len[4] > 0)
		as_of = (int8_t) in.p[4][0] * 1000;
	if (in.len[4] >= 16)
		memcpy(&since, in.p[4] + 8, 8);
	else if (in.len[4] > 1)
		since = (int8_t) in.p[4][1] * 1000;

	/* sort */
	a2 = malloc((na + 1) * sizeof(CdmEvent));
	memcpy(a2, a, na * sizeof(CdmEvent));
	na = cdm_timeline_sort(a, na);
	n2 = naive_sort(a2, na == 0 ? 0 : in.len[2] / 16);
	FUZZ_CHECK(na == n2 && (na == 0 || memcmp(a, a2, na * sizeof(CdmEvent)) == 0),
			   "sort: %zu events, naive %zu", na, n2);
	FUZZ_CHECK(cdm_timeline_sort(a2, n2) == na, "sort not idempotent");
	nb = cdm_timeline_sort(b, nb);
	{
		bool		pos = true;

		for (size_t i = 0; i < na; i++)
			pos &= a[i].milestone > 0 && a[i].scope >= 0;
		FUZZ_CHECK(cdm_timeline_valid(a, na) == pos, "valid %d, all positive %d",
				   (int) cdm_timeline_valid(a, na), (int) pos);
	}

	/* merge */
	merged = malloc((na + nb + 1) * sizeof(CdmEvent));
	u = malloc((na + nb + 1) * sizeof(CdmEvent));
	nm = cdm_timeline_merge(a, na, b, nb, merged);
	memcpy(u, a, na * sizeof(CdmEvent));
	memcpy(u + na, b, nb * sizeof(CdmEvent));
	nu = naive_sort(u, na + nb);
	FUZZ_CHECK(nm == nu && (nm == 0 || memcmp(merged, u, nm * sizeof(CdmEvent)) == 0),
			   "merge: %zu events, sorted union %zu", nm, nu);

	/* the program */
	if (in.opt & 1)
	{
		rule_ok = build_rule((const uint8_t *) in.p[0], in.len[0], r);
		if (rule_ok)
		{
			size_t		sz = cdm_active_program_size(r);
			unsigned char *img = malloc(sz);
			CdmActiveRule *back = malloc(sizeof(CdmActiveRule));

			cdm_active_program_write(r, img);
			FUZZ_CHECK(cdm_active_program_read(img, sz, back) && same_rule(r, back),
					   "a built rule does not read back");
			free(back);
			free(img);
		}
	}
	else
	{
		unsigned char *img = malloc(in.len[0] + 1);

		memcpy(img, in.p[0], in.len[0]);
		rule_ok = cdm_active_program_read(img, in.len[0], r);
		free(img);
	}
	if (rule_ok)
	{
		check_program(r);
		if (cdm_timeline_valid(merged, nm))
			check_eval(r, merged, nm, as_of, since);
	}

	free(r);
	free(u);
	free(merged);
	free(a2);
	free(b);
	free(a);
	return 0;
}
