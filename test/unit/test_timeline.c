/*
 * test_timeline.c - entity timelines (timeline.h) and definitions of
 * "active" over them (active_rule.h): sorting and merging without repeats,
 * every condition of a rule at the edges of its window, the four-way
 * status, programs that round-trip and corrupt ones that are refused, and
 * a random run against a naive evaluator.
 */
#include "unit.h"

#include "active_rule.h"

#define DAY INT64_C(86400000000)

static CdmEvent
ev(int64_t day, int32_t m, int32_t scope)
{
	CdmEvent	e = {day * DAY, m, scope};

	return e;
}

static void
sort_and_merge(void)
{
	CdmEvent	a[5] = {ev(5, 2, 0), ev(1, 1, 0), ev(5, 1, 0), ev(1, 1, 0), ev(3, 1, 2)};
	CdmEvent	b[3] = {ev(2, 7, 0), ev(3, 1, 2), ev(9, 1, 0)};
	CdmEvent	out[8];
	size_t		n = cdm_timeline_sort(a, 5);
	size_t		w;

	CHECK_INT(n, 4, "sort drops the repeated (day 1, milestone 1)");
	CHECK(cdm_timeline_valid(a, n), "sorted timeline is valid");
	CHECK(a[0].at == 1 * DAY && a[1].at == 3 * DAY && a[2].milestone == 1 && a[3].milestone == 2,
		  "order is (at, milestone, scope)");
	w = cdm_timeline_merge(a, n, b, 3, out);
	CHECK_INT(w, 6, "merge keeps one copy of the event in both");
	CHECK(cdm_timeline_valid(out, w), "merged timeline is valid");
	CHECK_INT(cdm_timeline_merge(NULL, 0, b, 3, out), 3, "merge with an empty timeline");
	CHECK(cdm_timeline_valid(NULL, 0), "an empty timeline is valid");
	{
		CdmEvent	bad[2] = {ev(2, 1, 0), ev(1, 1, 0)};
		CdmEvent	badm[1] = {ev(2, 0, 0)};
		CdmEvent	bads[1] = {ev(2, 1, -1)};

		CHECK(!cdm_timeline_valid(bad, 2), "unsorted is invalid");
		CHECK(!cdm_timeline_valid(badm, 1), "milestone 0 is invalid");
		CHECK(!cdm_timeline_valid(bads, 1), "negative scope is invalid");
	}
}

/* Milestone ids of the tests. */
enum
{
	ONBOARDED = 1, DOCS = 2, PAID = 3, LOGIN = 4, ENDED = 5, SIGNED = 6
};

static CdmActiveRule
rule(const int32_t *all, int nall, const int32_t *any, int nany, const int32_t *none, int nnone,
	 const int32_t *act, int nact, bool activity, bool window)
{
	CdmActiveRule r;

	memset(&r, 0, sizeof(r));
	r.n[CDM_ACTIVE_ALL] = nall;
	if (nall > 0)
		memcpy(r.ids[CDM_ACTIVE_ALL], all, nall * sizeof(int32_t));
	r.n[CDM_ACTIVE_ANY] = nany;
	if (nany > 0)
		memcpy(r.ids[CDM_ACTIVE_ANY], any, nany * sizeof(int32_t));
	r.n[CDM_ACTIVE_NONE] = nnone;
	if (nnone > 0)
		memcpy(r.ids[CDM_ACTIVE_NONE], none, nnone * sizeof(int32_t));
	r.n[CDM_ACTIVE_ACTIVITY] = nact;
	if (nact > 0)
		memcpy(r.ids[CDM_ACTIVE_ACTIVITY], act, nact * sizeof(int32_t));
	r.activity_required = activity;
	r.has_window = window;
	r.win_days = 90;
	return r;
}

static void
conditions(void)
{
	int32_t		all[2] = {ONBOARDED, DOCS};
	int32_t		none[1] = {ENDED};
	int32_t		act[1] = {PAID};
	CdmActiveRule r = rule(all, 2, NULL, 0, none, 1, act, 1, true, true);
	CdmEvent	t[5] = {ev(10, ONBOARDED, 0), ev(12, DOCS, 0), ev(20, PAID, 0), ev(100, LOGIN, 0), ev(200, ENDED, 0)};
	CdmActiveWhy why;

	/* since = as_of - 90 days, as the skin computes it */
#define AT(d) ((int64_t) (d) * DAY), ((int64_t) (d) * DAY - 90 * DAY)
	CHECK(!cdm_active_eval(&r, t, 5, AT(11), NULL), "day 11: documents not yet in");
	CHECK(!cdm_active_eval(&r, t, 5, AT(15), NULL), "day 15: all met, no payment yet");
	CHECK(cdm_active_eval(&r, t, 5, AT(20), NULL), "day 20: the payment day itself counts (at <= as_of)");
	CHECK(cdm_active_eval(&r, t, 5, AT(109), NULL), "day 109: payment 89 days ago");
	CHECK(!cdm_active_eval(&r, t, 5, AT(110), NULL), "day 110: payment exactly 90 days ago is outside (since, as_of]");
	CHECK(!cdm_active_eval(&r, t, 5, AT(115), NULL), "day 115: the login 15 days ago is not activity when activity lists invoice_paid");
	CHECK(cdm_active_eval(&r, t, 5, AT(50), &why), "day 50 active");
	CHECK(why.all_met && why.any_met && why.none_met && why.activity_met, "why: every condition met");
	CHECK_INT(why.first[CDM_ACTIVE_ALL][1], 12 * DAY, "why: first documents on day 12");
	CHECK_INT(why.last_activity, 20 * DAY, "why: last activity day 20");
	CHECK(why.first[CDM_ACTIVE_NONE][0] == CDM_NEVER, "why: contract never ended by day 50");

	/* no window: activity ever */
	r.has_window = false;
	CHECK(cdm_active_eval(&r, t, 5, AT(150), NULL), "no window: a payment ever is enough");
	CHECK(!cdm_active_eval(&r, t, 5, AT(200), &why), "day 200: contract ended");
	CHECK(!why.none_met && why.first[CDM_ACTIVE_NONE][0] == 200 * DAY, "why: ended on day 200");

	/* activity of any milestone when the list is empty */
	r = rule(all, 1, NULL, 0, NULL, 0, NULL, 0, true, true);
	CHECK(cdm_active_eval(&r, t, 5, AT(150), NULL), "any milestone is activity: the login on day 100");
	CHECK(!cdm_active_eval(&r, t, 5, AT(195), NULL), "day 195: last event 95 days ago");

	/* any */
	{
		int32_t		any[2] = {SIGNED, PAID};

		r = rule(NULL, 0, any, 2, NULL, 0, NULL, 0, false, false);
		CHECK(!cdm_active_eval(&r, t, 5, AT(19), NULL), "any: nothing by day 19");
		CHECK(cdm_active_eval(&r, t, 5, AT(20), NULL), "any: the payment");
	}
	/* scope */
	{
		CdmEvent	s[3] = {ev(1, ONBOARDED, 2), ev(2, DOCS, 0), ev(3, PAID, 3)};

		r = rule(all, 2, NULL, 0, NULL, 0, NULL, 0, false, false);
		r.scope = 2;
		CHECK(cdm_active_eval(&r, s, 3, AT(5), NULL), "scope 2: its own and the unscoped milestone");
		r.scope = 3;
		CHECK(!cdm_active_eval(&r, s, 3, AT(5), NULL), "scope 3: onboarding was in scope 2");
		r.scope = 0;
		CHECK(cdm_active_eval(&r, s, 3, AT(5), NULL), "no scope: every milestone");
	}
	CHECK(!cdm_active_eval(&r, NULL, 0, AT(5), NULL), "no events: never active");
#undef AT
}

static void
status(void)
{
	int32_t		all[1] = {ONBOARDED};
	int32_t		none[1] = {ENDED};
	int32_t		act[1] = {PAID};
	CdmActiveRule r = rule(all, 1, NULL, 0, none, 1, act, 1, true, true);
	CdmEvent	t[4] = {ev(1, LOGIN, 1), ev(10, ONBOARDED, 2), ev(20, PAID, 2), ev(300, ENDED, 2)};
	int64_t		d = 50 * DAY,
				since = 50 * DAY - 90 * DAY;

	CHECK_INT(cdm_active_status(&r, 2, t, 4, d, since), CDM_CUSTOMER, "scope 2 day 50: customer");
	CHECK_INT(cdm_active_status(&r, 1, t, 4, d, since), CDM_KNOWN_PROSPECT, "scope 1: a login, never onboarded there");
	CHECK_INT(cdm_active_status(&r, 3, t, 4, d, since), CDM_NEW_PROSPECT, "scope 3: nothing there");
	CHECK_INT(cdm_active_status(&r, 2, t, 4, 200 * DAY, 110 * DAY), CDM_FORMER_CUSTOMER, "scope 2 day 200: lapsed");
	CHECK_INT(cdm_active_status(&r, 2, t, 4, 400 * DAY, 310 * DAY), CDM_FORMER_CUSTOMER, "scope 2 day 400: ended");
	CHECK_INT(cdm_active_status(&r, 2, t, 4, 5 * DAY, -85 * DAY), CDM_NEW_PROSPECT, "scope 2 day 5: nothing there yet");
	CHECK_INT(cdm_active_status(&r, 0, t, 4, 5 * DAY, -85 * DAY), CDM_KNOWN_PROSPECT, "no scope day 5: the login");
	CHECK_INT(cdm_active_status(&r, 0, NULL, 0, d, since), CDM_NEW_PROSPECT, "no events");
}

static void
programs(void)
{
	int32_t		all[2] = {ONBOARDED, DOCS};
	int32_t		act[1] = {PAID};
	CdmActiveRule r = rule(all, 2, NULL, 0, NULL, 0, act, 1, true, true),
				back;
	unsigned char buf[1024];
	size_t		n = cdm_active_program_size(&r);

	r.scope = 7;
	r.win_months = 3;
	r.win_usecs = 5;
	cdm_active_program_write(&r, buf);
	CHECK(cdm_active_program_read(buf, n, &back), "a written program reads back");
	CHECK(back.scope == 7 && back.win_months == 3 && back.win_days == 90 && back.win_usecs == 5 &&
		  back.n[CDM_ACTIVE_ALL] == 2 && back.ids[CDM_ACTIVE_ALL][1] == DOCS &&
		  back.ids[CDM_ACTIVE_ACTIVITY][0] == PAID && back.activity_required && back.has_window,
		  "every field round-trips");
	CHECK(!cdm_active_program_read(buf, n - 1, &back), "a truncated program is refused");
	CHECK(!cdm_active_program_read(buf, 3, &back), "a stub is refused");
	buf[0] ^= 1;
	CHECK(!cdm_active_program_read(buf, n, &back), "a bad magic is refused");
	buf[0] ^= 1;
	r.activity_required = false;
	r.n[CDM_ACTIVE_ALL] = 0;
	n = cdm_active_program_size(&r);
	cdm_active_program_write(&r, buf);
	CHECK(!cdm_active_program_read(buf, n, &back), "a rule with no positive condition is refused");
	/* every byte flipped in turn: read must never crash, and accepts only sane rules */
	r = rule(all, 2, NULL, 0, NULL, 0, act, 1, true, true);
	n = cdm_active_program_size(&r);
	for (size_t i = 0; i < n; i++)
	{
		cdm_active_program_write(&r, buf);
		buf[i] ^= 0x80;
		if (cdm_active_program_read(buf, n, &back))
			CHECK(back.n[0] <= CDM_ACTIVE_MAX_LIST && back.n[3] <= CDM_ACTIVE_MAX_LIST,
				  "a flipped byte %zu reads as a bounded rule", i);
	}
}

/* The rule as the SQL documentation states it, one condition at a time. */
static bool
naive(const CdmActiveRule *r, const CdmEvent *t, size_t n, int64_t as_of, int64_t since)
{
	for (int i = 0; i < r->n[CDM_ACTIVE_ALL]; i++)
	{
		bool		found = false;

		for (size_t j = 0; j < n; j++)
			found |= t[j].milestone == r->ids[CDM_ACTIVE_ALL][i] && t[j].at <= as_of &&
				cdm_event_in_scope(t[j].scope, r->scope);
		if (!found)
			return false;
	}
	if (r->n[CDM_ACTIVE_ANY] > 0)
	{
		bool		found = false;

		for (int i = 0; i < r->n[CDM_ACTIVE_ANY]; i++)
			for (size_t j = 0; j < n; j++)
				found |= t[j].milestone == r->ids[CDM_ACTIVE_ANY][i] && t[j].at <= as_of &&
					cdm_event_in_scope(t[j].scope, r->scope);
		if (!found)
			return false;
	}
	for (int i = 0; i < r->n[CDM_ACTIVE_NONE]; i++)
		for (size_t j = 0; j < n; j++)
			if (t[j].milestone == r->ids[CDM_ACTIVE_NONE][i] && t[j].at <= as_of &&
				cdm_event_in_scope(t[j].scope, r->scope))
				return false;
	if (r->activity_required)
	{
		bool		found = false;

		for (size_t j = 0; j < n; j++)
		{
			bool		listed = r->n[CDM_ACTIVE_ACTIVITY] == 0;

			for (int i = 0; i < r->n[CDM_ACTIVE_ACTIVITY]; i++)
				listed |= t[j].milestone == r->ids[CDM_ACTIVE_ACTIVITY][i];
			found |= listed && t[j].at <= as_of && (!r->has_window || t[j].at > since) &&
				cdm_event_in_scope(t[j].scope, r->scope);
		}
		if (!found)
			return false;
	}
	return true;
}

static uint32_t seed = 12345;
static uint32_t
rnd(uint32_t n)
{
	seed = seed * 1103515245u + 12345u;
	return (seed >> 8) % n;
}

static void
random_rules(void)
{
	int			disagree = 0,
				active = 0;

	for (int round = 0; round < 20000; round++)
	{
		CdmActiveRule r;
		CdmEvent	t[12];
		size_t		n = rnd(12);
		int64_t		as_of = (int64_t) rnd(400) * DAY;

		memset(&r, 0, sizeof(r));
		for (int l = 0; l < CDM_ACTIVE_NLISTS; l++)
		{
			r.n[l] = rnd(3);
			for (int i = 0; i < r.n[l]; i++)
				r.ids[l][i] = 1 + rnd(6);
		}
		r.activity_required = rnd(2) || (r.n[0] == 0 && r.n[1] == 0);
		r.has_window = r.activity_required && rnd(2);
		r.scope = rnd(3);
		for (size_t i = 0; i < n; i++)
			t[i] = ev(rnd(400), 1 + rnd(6), rnd(3));
		n = cdm_timeline_sort(t, n);
		{
			bool		got = cdm_active_eval(&r, t, n, as_of, as_of - 90 * DAY, NULL);

			disagree += got != naive(&r, t, n, as_of, as_of - 90 * DAY);
			active += got;
		}
	}
	CHECK_INT(disagree, 0, "20000 random rules and timelines: evaluator agrees with the naive reading");
	CHECK(active > 1000 && active < 19000, "the random run exercises both answers (%d active)", active);
}

int
main(void)
{
	sort_and_merge();
	conditions();
	status();
	programs();
	random_rules();
	return unit_report("timeline");
}
