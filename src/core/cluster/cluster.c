/*
 * cluster.c - guarded greedy union-find (see cluster.h for why).
 */
#include "cluster.h"

#include "match_record.h"

#include <math.h>
#include <string.h>

/* Per record; meaningful for cluster roots only, except parent. */
typedef struct Node
{
	uint32_t	parent;
	uint32_t	min;			/* smallest record index of the cluster */
	uint8_t		rank;
	uint8_t		ndob;
	int32_t		dobs[CDM_CLUSTER_MAX_DOBS];	/* distinct, non-missing */
	uint64_t	uid;			/* the cluster's unique id, 0 = none yet */
} Node;

size_t
cdm_cluster_workspace(size_t n)
{
	return n * sizeof(Node);
}

/* ---------------------------------------------------------------- sorting */

/* NaN sorts last, as the weakest. */
static double
key_p(double p)
{
	return isnan(p) ? -INFINITY : p;
}

int
cdm_cluster_edge_cmp(const CdmClusterEdge *x, const CdmClusterEdge *y)
{
	double		px = key_p(x->p),
				py = key_p(y->p);

	if (px != py)
		return px > py ? -1 : 1;
	if (x->a != y->a)
		return x->a < y->a ? -1 : 1;
	if (x->b != y->b)
		return x->b < y->b ? -1 : 1;
	return 0;
}

static bool
before(const CdmClusterEdge *x, const CdmClusterEdge *y)
{
	return cdm_cluster_edge_cmp(x, y) < 0;
}

static void
swap_edges(CdmClusterEdge *x, CdmClusterEdge *y)
{
	CdmClusterEdge t = *x;

	*x = *y;
	*y = t;
}

typedef struct Ticker
{
	size_t		work;
} Ticker;

static void
tick(Ticker *t, size_t n)
{
	t->work += n;
	if (t->work >= CDM_INTERRUPT_STRIDE)
	{
		t->work = 0;
		CDM_CHECK_INTERRUPTS();
	}
}

static void
sift_down(CdmClusterEdge *e, size_t i, size_t n)
{
	for (;;)
	{
		size_t		c = 2 * i + 1;

		if (c >= n)
			return;
		if (c + 1 < n && before(&e[c], &e[c + 1]))
			c++;
		if (!before(&e[i], &e[c]))
			return;
		swap_edges(&e[i], &e[c]);
		i = c;
	}
}

static void
heap_sort(Ticker *t, CdmClusterEdge *e, size_t n)
{
	for (size_t i = n / 2; i-- > 0;)
		sift_down(e, i, n);
	for (size_t i = n; i-- > 1;)
	{
		swap_edges(&e[0], &e[i]);
		sift_down(e, 0, i);
		tick(t, 64);
	}
}

static void
insertion_sort(CdmClusterEdge *e, size_t n)
{
	for (size_t i = 1; i < n; i++)
	{
		CdmClusterEdge v = e[i];
		size_t		j = i;

		for (; j > 0 && before(&v, &e[j - 1]); j--)
			e[j] = e[j - 1];
		e[j] = v;
	}
}

/* Introsort: Hoare partition around a median of three, heapsort past depth. */
static void
intro_sort(Ticker *t, CdmClusterEdge *e, size_t n, int depth)
{
	while (n > 16)
	{
		size_t		i,
					j;
		CdmClusterEdge pivot;

		if (depth-- == 0)
		{
			heap_sort(t, e, n);
			return;
		}
		/* median of e[0], e[n/2], e[n-1] into e[0] */
		if (before(&e[n / 2], &e[0]))
			swap_edges(&e[n / 2], &e[0]);
		if (before(&e[n - 1], &e[0]))
			swap_edges(&e[n - 1], &e[0]);
		if (before(&e[n - 1], &e[n / 2]))
			swap_edges(&e[n - 1], &e[n / 2]);
		swap_edges(&e[0], &e[n / 2]);
		pivot = e[0];
		i = 0;
		j = n;
		for (;;)
		{
			do
				i++;
			while (i < n && before(&e[i], &pivot));
			do
				j--;
			while (before(&pivot, &e[j]));
			if (i >= j)
				break;
			swap_edges(&e[i], &e[j]);
		}
		swap_edges(&e[0], &e[j]);
		tick(t, n);
		/* e[0..j) <= pivot = e[j] <= e[j+1..n): smaller side first */
		if (j < n - j - 1)
		{
			intro_sort(t, e, j, depth);
			e += j + 1;
			n -= j + 1;
		}
		else
		{
			intro_sort(t, e + j + 1, n - j - 1, depth);
			n = j;
		}
	}
	insertion_sort(e, n);
}

/* ---------------------------------------------------------------- union-find */

static uint32_t
find(Node *nodes, uint32_t x)
{
	while (nodes[x].parent != x)
	{
		nodes[x].parent = nodes[nodes[x].parent].parent;	/* path halving */
		x = nodes[x].parent;
	}
	return x;
}

/*
 * May clusters x and y (roots) become one?  If so, the merged dob set is
 * left in dobs/ndob.
 */
static bool
compatible(const Node *x, const Node *y, int32_t *dobs, int *ndob)
{
	int			k = x->ndob;

	if (x->uid != 0 && y->uid != 0 && x->uid != y->uid)
		return false;
	memcpy(dobs, x->dobs, sizeof(x->dobs));
	for (int j = 0; j < y->ndob; j++)
	{
		bool		seen = false;

		for (int i = 0; i < x->ndob; i++)
		{
			if (x->dobs[i] == y->dobs[j])
				seen = true;
			else if (cdm_match_dob_conflict(x->dobs[i], y->dobs[j]))
				return false;
		}
		if (!seen)
		{
			if (k == CDM_CLUSTER_MAX_DOBS)
				return false;	/* past the bound: refuse (conservative) */
			dobs[k++] = y->dobs[j];
		}
	}
	*ndob = k;
	return true;
}

static void
init_nodes(Node *nodes, size_t n, const int32_t *dob, const uint64_t *uid)
{
	for (size_t i = 0; i < n; i++)
	{
		Node	   *v = &nodes[i];

		memset(v, 0, sizeof(*v));
		v->parent = v->min = (uint32_t) i;
		/* a value the comparison treats as missing is missing here too */
		if (dob && cdm_match_dob_level(dob[i], dob[i]) != 0)
			v->dobs[v->ndob++] = dob[i];
		v->uid = uid ? uid[i] : 0;
	}
}

/* Join roots x and y (already known compatible, merged dobs given). */
static void
join(Node *nodes, uint32_t x, uint32_t y, const int32_t *dobs, int ndob)
{
	Node	   *r,
			   *c;

	if (nodes[x].rank < nodes[y].rank)
	{
		uint32_t	t = x;

		x = y;
		y = t;
	}
	r = &nodes[x];
	c = &nodes[y];
	c->parent = x;
	if (r->rank == c->rank)
		r->rank++;
	if (c->min < r->min)
		r->min = c->min;
	if (r->uid == 0)
		r->uid = c->uid;
	memcpy(r->dobs, dobs, sizeof(r->dobs));
	r->ndob = (uint8_t) ndob;
}

int64_t
cdm_cluster(size_t n, CdmClusterEdge *edges, size_t nedges, double threshold,
			const int32_t *dob, const uint64_t *uid, uint32_t *rep,
			double *best, void *work)
{
	Node	   *nodes = work;
	Ticker		t = {0};
	int64_t		merges = 0;
	int			depth = 0;

	for (size_t i = 0; i < nedges; i++)
	{
		if (edges[i].a >= n || edges[i].b >= n)
			return -1;
		if (edges[i].a > edges[i].b)
		{
			uint32_t	x = edges[i].a;

			edges[i].a = edges[i].b;
			edges[i].b = x;
		}
	}
	for (size_t m = nedges; m > 1; m >>= 1)
		depth += 2;
	intro_sort(&t, edges, nedges, depth);
	init_nodes(nodes, n, dob, uid);
	if (best)
		for (size_t i = 0; i < n; i++)
			best[i] = 0;
	for (size_t i = 0; i < nedges; i++)
	{
		const CdmClusterEdge *e = &edges[i];
		uint32_t	x,
					y;
		int32_t		dobs[CDM_CLUSTER_MAX_DOBS];
		int			ndob;

		if (!(e->p >= threshold))
			break;				/* sorted: the rest are below too (or NaN) */
		tick(&t, 1);
		if (e->a == e->b)
			continue;
		x = find(nodes, e->a);
		y = find(nodes, e->b);
		if (x != y)
		{
			if (!compatible(&nodes[x], &nodes[y], dobs, &ndob))
				continue;
			join(nodes, x, y, dobs, ndob);
			merges++;
		}
		if (best)
		{
			best[e->a] = fmax(best[e->a], e->p);
			best[e->b] = fmax(best[e->b], e->p);
		}
	}
	for (size_t i = 0; i < n; i++)
		rep[i] = nodes[find(nodes, (uint32_t) i)].min;
	return merges;
}
