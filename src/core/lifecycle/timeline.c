/*
 * timeline.c - sorting, merging and checking an entity's event array.
 *
 * A merge of two entities merges their timelines; a bulk load sorts the
 * events it gathered.  Repeats (same moment, milestone and scope) collapse:
 * a timeline says which milestones happened when, and the milestone table
 * already refuses to store one event twice.
 */
#include "timeline.h"

#include <stdlib.h>

int
cdm_event_cmp(const CdmEvent *a, const CdmEvent *b)
{
	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	if (a->milestone != b->milestone)
		return a->milestone < b->milestone ? -1 : 1;
	if (a->scope != b->scope)
		return a->scope < b->scope ? -1 : 1;
	return 0;
}

static int
event_qsort_cmp(const void *a, const void *b)
{
	return cdm_event_cmp((const CdmEvent *) a, (const CdmEvent *) b);
}

size_t
cdm_timeline_sort(CdmEvent *ev, size_t n)
{
	size_t		w = 0;

	if (n == 0)
		return 0;
	qsort(ev, n, sizeof(CdmEvent), event_qsort_cmp);
	for (size_t i = 1; i < n; i++)
	{
		if (cdm_event_cmp(&ev[w], &ev[i]) != 0)
			ev[++w] = ev[i];
	}
	return w + 1;
}

size_t
cdm_timeline_merge(const CdmEvent *a, size_t na,
				   const CdmEvent *b, size_t nb, CdmEvent *out)
{
	size_t		i = 0,
				j = 0,
				w = 0;

	while (i < na || j < nb)
	{
		int			c;

		if ((i + j) % CDM_INTERRUPT_STRIDE == 0)
			CDM_CHECK_INTERRUPTS();
		if (i == na)
			c = 1;
		else if (j == nb)
			c = -1;
		else
			c = cdm_event_cmp(&a[i], &b[j]);
		if (c <= 0)
		{
			out[w++] = a[i++];
			if (c == 0)
				j++;
		}
		else
			out[w++] = b[j++];
	}
	return w;
}

bool
cdm_timeline_valid(const CdmEvent *ev, size_t n)
{
	for (size_t i = 0; i < n; i++)
	{
		if (ev[i].milestone <= 0 || ev[i].scope < 0)
			return false;
		if (i > 0 && cdm_event_cmp(&ev[i - 1], &ev[i]) >= 0)
			return false;
	}
	return true;
}
