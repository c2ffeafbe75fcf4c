/*
 * active_rule.c - evaluating a definition of "active" over a timeline.
 *
 * One pass over the entity's events up to as_of: a definition has at most
 * a few dozen milestones in its lists, so a linear look-up per event beats
 * any table, and the whole evaluation stays within the entity's few cache
 * lines -- what lets a count over a million entities finish in a scan.
 */
#include "active_rule.h"

#include <string.h>

#define PROGRAM_MAGIC	0x43444d41u	/* "CDMA" */
#define PROGRAM_VERSION 1

/* Header of the program image; the lists' ids follow, in list order. */
typedef struct ProgramHeader
{
	uint32_t	magic;
	uint16_t	version;
	uint16_t	flags;
	int32_t		scope;
	int32_t		win_months;
	int32_t		win_days;
	int64_t		win_usecs;
	int32_t		n[CDM_ACTIVE_NLISTS];
} ProgramHeader;

#define FLAG_ACTIVITY	1
#define FLAG_WINDOW		2

size_t
cdm_active_program_size(const CdmActiveRule *r)
{
	size_t		ids = 0;

	for (int l = 0; l < CDM_ACTIVE_NLISTS; l++)
		ids += (size_t) r->n[l];
	return sizeof(ProgramHeader) + ids * sizeof(int32_t);
}

void
cdm_active_program_write(const CdmActiveRule *r, unsigned char *out)
{
	ProgramHeader h;
	unsigned char *p = out + sizeof(h);

	memset(&h, 0, sizeof(h));
	h.magic = PROGRAM_MAGIC;
	h.version = PROGRAM_VERSION;
	h.flags = (r->activity_required ? FLAG_ACTIVITY : 0) | (r->has_window ? FLAG_WINDOW : 0);
	h.scope = r->scope;
	h.win_months = r->win_months;
	h.win_days = r->win_days;
	h.win_usecs = r->win_usecs;
	for (int l = 0; l < CDM_ACTIVE_NLISTS; l++)
	{
		h.n[l] = r->n[l];
		memcpy(p, r->ids[l], (size_t) r->n[l] * sizeof(int32_t));
		p += (size_t) r->n[l] * sizeof(int32_t);
	}
	memcpy(out, &h, sizeof(h));
}

bool
cdm_active_program_read(const unsigned char *in, size_t len, CdmActiveRule *r)
{
	ProgramHeader h;
	size_t		need = sizeof(h);

	if (len < sizeof(h))
		return false;
	memcpy(&h, in, sizeof(h));
	if (h.magic != PROGRAM_MAGIC || h.version != PROGRAM_VERSION ||
		(h.flags & ~(FLAG_ACTIVITY | FLAG_WINDOW)) != 0 || h.scope < 0)
		return false;
	memset(r, 0, sizeof(*r));
	for (int l = 0; l < CDM_ACTIVE_NLISTS; l++)
	{
		if (h.n[l] < 0 || h.n[l] > CDM_ACTIVE_MAX_LIST)
			return false;
		need += (size_t) h.n[l] * sizeof(int32_t);
	}
	if (len != need)
		return false;
	in += sizeof(h);
	for (int l = 0; l < CDM_ACTIVE_NLISTS; l++)
	{
		r->n[l] = h.n[l];
		memcpy(r->ids[l], in, (size_t) h.n[l] * sizeof(int32_t));
		in += (size_t) h.n[l] * sizeof(int32_t);
	}
	r->scope = h.scope;
	r->activity_required = (h.flags & FLAG_ACTIVITY) != 0;
	r->has_window = (h.flags & FLAG_WINDOW) != 0;
	r->win_months = h.win_months;
	r->win_days = h.win_days;
	r->win_usecs = h.win_usecs;
	/* a positive condition is what keeps entities without events inactive */
	return r->n[CDM_ACTIVE_ALL] > 0 || r->n[CDM_ACTIVE_ANY] > 0 || r->activity_required;
}

static int
list_index(const CdmActiveRule *r, int l, int32_t milestone)
{
	for (int i = 0; i < r->n[l]; i++)
		if (r->ids[l][i] == milestone)
			return i;
	return -1;
}

/* Is the event an activity under the rule (any milestone when no list)? */
static inline bool
is_activity(const CdmActiveRule *r, int32_t milestone)
{
	return r->n[CDM_ACTIVE_ACTIVITY] == 0 || list_index(r, CDM_ACTIVE_ACTIVITY, milestone) >= 0;
}

/*
 * The pass both questions share: which conditions were met by as_of, with
 * scope q.  seen_all is a bit per "all" milestone.
 */
typedef struct Scan
{
	uint64_t	seen_all;
	bool		any_seen,
				none_seen,
				activity_in_window,
				activity_ever,
				scoped_event;	/* an event of exactly scope q (q > 0) */
	int64_t		last_activity;
} Scan;

static void
scan_events(const CdmActiveRule *r, int32_t q, const CdmEvent *ev, size_t n,
			int64_t as_of, int64_t since, CdmActiveWhy *why, Scan *s)
{
	memset(s, 0, sizeof(*s));
	s->last_activity = CDM_NEVER;
	for (size_t i = 0; i < n && ev[i].at <= as_of; i++)
	{
		int32_t		m = ev[i].milestone;
		int			k;

		if ((i + 1) % CDM_INTERRUPT_STRIDE == 0)
			CDM_CHECK_INTERRUPTS();
		if (!cdm_event_in_scope(ev[i].scope, q))
			continue;
		if (q > 0 && ev[i].scope == q)
			s->scoped_event = true;
		for (int l = CDM_ACTIVE_ALL; l <= CDM_ACTIVE_NONE; l++)
		{
			if ((k = list_index(r, l, m)) < 0)
				continue;
			if (l == CDM_ACTIVE_ALL)
			{
				/* every position naming it: a list may repeat a name */
				for (int j = k; j < r->n[l]; j++)
					if (r->ids[l][j] == m)
						s->seen_all |= UINT64_C(1) << j;
			}
			else if (l == CDM_ACTIVE_ANY)
				s->any_seen = true;
			else
				s->none_seen = true;
			if (why && why->first[l][k] == CDM_NEVER)
				why->first[l][k] = ev[i].at;
		}
		if (r->activity_required && is_activity(r, m))
		{
			s->activity_ever = true;
			s->last_activity = ev[i].at;
			if (ev[i].at > since)
				s->activity_in_window = true;
			if (why && r->n[CDM_ACTIVE_ACTIVITY] > 0)
			{
				k = list_index(r, CDM_ACTIVE_ACTIVITY, m);
				if (why->first[CDM_ACTIVE_ACTIVITY][k] == CDM_NEVER)
					why->first[CDM_ACTIVE_ACTIVITY][k] = ev[i].at;
			}
		}
	}
}

static bool
all_met(const CdmActiveRule *r, const Scan *s)
{
	uint64_t	want = r->n[CDM_ACTIVE_ALL] == 64 ? ~UINT64_C(0)
		: (UINT64_C(1) << r->n[CDM_ACTIVE_ALL]) - 1;

	return s->seen_all == want;
}

bool
cdm_active_eval(const CdmActiveRule *r, const CdmEvent *ev, size_t n,
				int64_t as_of, int64_t since, CdmActiveWhy *why)
{
	Scan		s;
	bool		a,
				y,
				z,
				act;

	if (why)
	{
		for (int l = 0; l < CDM_ACTIVE_NLISTS; l++)
			for (int i = 0; i < CDM_ACTIVE_MAX_LIST; i++)
				why->first[l][i] = CDM_NEVER;
	}
	if (!r->has_window)
		since = CDM_NEVER;
	scan_events(r, r->scope, ev, n, as_of, since, why, &s);
	a = all_met(r, &s);
	y = r->n[CDM_ACTIVE_ANY] == 0 || s.any_seen;
	z = !s.none_seen;
	act = !r->activity_required || s.activity_in_window;
	if (why)
	{
		why->all_met = a;
		why->any_met = y;
		why->none_met = z;
		why->activity_met = act;
		why->last_activity = s.last_activity;
	}
	return a && y && z && act;
}

CdmCustomerStatus
cdm_active_status(const CdmActiveRule *r, int32_t scope,
				  const CdmEvent *ev, size_t n, int64_t as_of, int64_t since)
{
	Scan		s;
	int32_t		q = scope > 0 ? scope : r->scope;
	bool		qualified;

	if (!r->has_window)
		since = CDM_NEVER;
	scan_events(r, q, ev, n, as_of, since, NULL, &s);
	qualified = all_met(r, &s) && (r->n[CDM_ACTIVE_ANY] == 0 || s.any_seen) &&
		(!r->activity_required || s.activity_ever);
	if (qualified && !s.none_seen && (!r->activity_required || s.activity_in_window))
		return CDM_CUSTOMER;
	if (qualified)
		return CDM_FORMER_CUSTOMER;
	/* known in the scope: an event of that very scope (or any, unscoped) */
	if (q > 0 ? s.scoped_event : (n > 0 && ev[0].at <= as_of))
		return CDM_KNOWN_PROSPECT;
	return CDM_NEW_PROSPECT;
}
